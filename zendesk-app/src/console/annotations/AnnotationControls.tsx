import styled from 'styled-components';
import type { ConsoleAnnotations } from './consoleAnnotations';
import { AnnotationToolbar } from './AnnotationToolbar';
import { SnapshotList } from './SnapshotList';
import { useModelRevision } from './useAnnotations';

const Stack = styled.div`
  display: grid;
  gap: ${(p) => p.theme.space.xs};
  min-width: 0;
`;

/** Tool bar plus the session's snapshots, in the console's row under the video. */
export function AnnotationControls({ annotations, disabled }: { annotations: ConsoleAnnotations; disabled: boolean }) {
  useModelRevision(annotations.model);
  return (
    <Stack>
      <AnnotationToolbar annotations={annotations} disabled={disabled} />
      <SnapshotList snapshots={annotations.model.snapshots} />
    </Stack>
  );
}
