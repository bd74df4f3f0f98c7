import type { ReactNode } from 'react';
import styled from 'styled-components';
import type { ConsoleAnnotations } from './consoleAnnotations';
import { AnnotationToolbar, type ReadTextTool } from './AnnotationToolbar';
import { SnapshotList } from './SnapshotList';
import { useModelRevision } from './useAnnotations';

const Stack = styled.div`
  display: grid;
  gap: ${(p) => p.theme.space.xs};
  min-width: 0;
`;

/** The tool bar and the camera's bar: one row in a wide console, two in a narrow one. */
const Row = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: ${(p) => p.theme.space.xs};
  min-width: 0;
`;

/**
 * The width the tool bar needs on one line with the Freeze label (see FreezeLabel): the camera
 * bar only joins its row when both fit whole.
 */
const ToolbarSlot = styled.div`
  flex: 1 1 780px;
  min-width: 0;
`;

type Props = {
  annotations: ConsoleAnnotations;
  disabled: boolean;
  /** The customer's camera controls, next to the tools (console/camera). */
  camera?: ReactNode;
  /** Read text on the frozen still (console/nameplate); its panel goes under the tool bar. */
  readText?: ReadTextTool | null;
  nameplate?: ReactNode;
};

/** Tool bar (and the camera's) plus the session's snapshots, in the console's row under the video. */
export function AnnotationControls({ annotations, disabled, camera, readText = null, nameplate = null }: Props) {
  useModelRevision(annotations.model);
  return (
    <Stack>
      <Row>
        <ToolbarSlot>
          <AnnotationToolbar annotations={annotations} disabled={disabled} readText={readText} />
        </ToolbarSlot>
        {camera}
      </Row>
      {nameplate}
      <SnapshotList snapshots={annotations.model.snapshots} />
    </Stack>
  );
}
