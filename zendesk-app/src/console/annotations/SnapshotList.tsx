import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { SM } from '@zendeskgarden/react-typography';
import type { Snapshot } from '@live-assist/protocol';
import { useI18n } from '../../i18n/i18n';

const Row = styled.section`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
  min-width: 0;
`;

const List = styled.ul`
  display: flex;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;
  padding: 0;
  overflow-x: auto;
  list-style: none;
`;

const Thumb = styled.img`
  display: block;
  border: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.sm};
  height: 44px;
  object-fit: cover;
  aspect-ratio: 16 / 9;
`;

/** Snapshots of this session (they go to the ticket with the write-back); newest last. */
export function SnapshotList({ snapshots }: { snapshots: readonly Snapshot[] }) {
  const { t } = useI18n();
  if (snapshots.length === 0) return null;
  return (
    <Row aria-label={t('annotations.snapshots')}>
      <SM tag="h3" isBold>
        {t('annotations.snapshots')} ({snapshots.length})
      </SM>
      <List data-testid="snapshot-list">
        {snapshots.map((s, i) => (
          <li key={s.id}>
            <a href={s.url} target="_blank" rel="noreferrer" data-width={s.width} data-height={s.height}>
              <Thumb src={s.url} alt={t('annotations.snapshotAlt', { n: i + 1 })} />
            </a>
          </li>
        ))}
      </List>
    </Row>
  );
}
