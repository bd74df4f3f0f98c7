import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import type { TicketNoteStatus } from '@live-assist/protocol';
import { AlertIcon, CheckIcon } from '../components/icons';
import { useI18n } from '../i18n/i18n';

const Line = styled.p<{ $tone: 'success' | 'subtle' | 'warning' | 'danger' }>`
  display: flex;
  align-items: flex-start;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;
  color: ${(p) => getColor({ theme: p.theme, variable: `foreground.${p.$tone}` })};
  font-size: ${(p) => p.theme.fontSizes.sm};
  line-height: ${(p) => p.theme.lineHeights.sm};

  svg {
    flex: none;
    margin-top: 2px;
  }
`;

/** Whether the call record reached the ticket, or when the outbox tries again. */
export function NoteStatusLine({ note }: { note: TicketNoteStatus }) {
  const { t, formatTime } = useI18n();
  switch (note.state) {
    case 'none':
      return null;
    case 'pending':
      return (
        <Line $tone="subtle" role="status" data-testid="note-status" data-state={note.state}>
          {t('writeback.note.pending')}
        </Line>
      );
    case 'retrying':
      return (
        <Line $tone="warning" role="status" data-testid="note-status" data-state={note.state}>
          <AlertIcon />
          {t('writeback.note.retrying', { time: note.nextAttemptAt ? formatTime(note.nextAttemptAt) : '—', attempts: note.attempts })}
        </Line>
      );
    case 'done':
      return (
        <Line $tone="success" role="status" data-testid="note-status" data-state={note.state}>
          <CheckIcon />
          {t('writeback.note.done')}
        </Line>
      );
    case 'failed':
      return (
        <Line $tone="danger" role="alert" data-testid="note-status" data-state={note.state}>
          <AlertIcon />
          {t('writeback.note.failed', { error: note.lastError ?? '' })}
        </Line>
      );
  }
}
