import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import { Alert } from '@zendeskgarden/react-notifications';
import { Skeleton } from '@zendeskgarden/react-loaders';
import { Paragraph } from '@zendeskgarden/react-typography';
import { SessionStatus, type CallNoteView, type SessionView } from '@live-assist/protocol';
import { NewWindowIcon, VideoIcon } from '../components/icons';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { CustomerStatus, customerStatusOf } from './customerStatus';
import { EndSessionControl } from './EndSessionControl';
import { InviteDelivery, type InviteDeliveryActions } from './InviteDelivery';
import type { InviteDeliveryState } from './inviteDeliveryStore';
import { InviteLinkField } from './InviteLinkField';
import { NoteStatusLine } from './NoteStatusLine';
import { formatDuration, useNow } from './useNow';
import { StatusLine } from './StatusLine';
import { TakeOverControl } from './TakeOverControl';
import { SidebarAction, SidebarPhase, SidebarProblem, type SidebarState } from './sidebarStore';

export const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.md};
`;

const Intro = styled(Paragraph)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

const Divider = styled.hr`
  margin: 0;
  border: 0;
  border-top: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.subtle' })};
`;

const Actions = styled.div`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
`;

const problemText: Record<SidebarProblem, MessageKey> = {
  [SidebarProblem.load]: 'sidebar.problem.load',
  [SidebarProblem.start]: 'sidebar.problem.start',
  [SidebarProblem.end]: 'sidebar.problem.end',
  [SidebarProblem.takeOver]: 'sidebar.problem.takeOver',
  [SidebarProblem.offline]: 'sidebar.problem.offline',
  [SidebarProblem.signedOut]: 'app.signedOut',
  [SidebarProblem.ticketNotFound]: 'sidebar.problem.ticketNotFound',
  [SidebarProblem.ticketForbidden]: 'sidebar.problem.ticketForbidden',
};

export type SidebarActions = {
  retry(): void;
  startVideo(): void;
  endSession(): void;
  openConsole(): void;
  takeOver(): void;
  /** Opens the console as an observer of the call another agent holds. */
  observe(): void;
};

/** The write-back and invite delivery parts (absent while the sidebar is still loading). */
export type SidebarExtras = {
  call: CallNoteView | null;
  delivery: InviteDeliveryState;
  deliveryActions: InviteDeliveryActions;
};

type Props = { state: SidebarState; actions: SidebarActions; consoleProblem: boolean; extras?: SidebarExtras };

export function SidebarView({ state, actions, consoleProblem, extras }: Props) {
  const { t } = useI18n();
  const { phase, session, problem } = state;

  if (phase === SidebarPhase.loading) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height="20px" width="70%" />
        <Skeleton height="40px" />
        <Skeleton height="40px" />
      </Stack>
    );
  }

  const alert = problem ? (
    <Alert type={problem === SidebarProblem.offline ? 'warning' : 'error'} role="alert">
      <Alert.Paragraph>{t(problemText[problem])}</Alert.Paragraph>
    </Alert>
  ) : null;

  if (phase === SidebarPhase.failed) {
    return (
      <Stack>
        {alert}
        {problem !== SidebarProblem.signedOut && problem !== SidebarProblem.ticketForbidden ? (
          <Button onClick={actions.retry}>{t('app.retry')}</Button>
        ) : null}
      </Stack>
    );
  }

  const active = session?.status === SessionStatus.active;
  return (
    <Stack>
      {active ? (
        <ActiveSession session={session} state={state} actions={actions} extras={extras} />
      ) : (
        <NoActiveSession session={session} state={state} actions={actions} extras={extras} />
      )}
      {consoleProblem ? (
        <Alert type="error" role="alert">
          <Alert.Paragraph>{t('sidebar.problem.openConsole')}</Alert.Paragraph>
        </Alert>
      ) : null}
      {alert}
    </Stack>
  );
}

type PartProps = { session: SessionView | null; state: SidebarState; actions: SidebarActions; extras?: SidebarExtras };

function NoActiveSession({ session, state, actions, extras }: PartProps) {
  const { t, formatTime } = useI18n();
  const note = session && extras?.call ? extras.call.note : null;
  return (
    <>
      {session ? (
        <Actions>
          <StatusLine status={customerStatusOf(session)} />
          {note ? <NoteStatusLine note={note} /> : null}
          <Intro size="small">
            {session.endedAt ? `${t('sidebar.endedAt', { time: formatTime(session.endedAt) })}. ` : ''}
            {t('sidebar.startAgain')}
          </Intro>
        </Actions>
      ) : (
        <Intro>{t('sidebar.intro')}</Intro>
      )}
      <Button isPrimary isStretched onClick={actions.startVideo} disabled={state.busy === SidebarAction.start}>
        <Button.StartIcon>
          <VideoIcon />
        </Button.StartIcon>
        {t('sidebar.startVideo')}
      </Button>
    </>
  );
}

function ActiveSession({ session, state, actions, extras }: PartProps & { session: SessionView }) {
  const { t } = useI18n();
  const status = customerStatusOf(session);
  const startedAt = extras?.call?.callStartedAt ?? null;
  const inCall = status === CustomerStatus.inCall && startedAt !== null;
  const now = useNow(inCall);
  return (
    <>
      <StatusLine status={status} detail={inCall ? formatDuration(now - Date.parse(startedAt)) : undefined} />
      <InviteLinkField url={session.inviteUrl} expiresAt={session.expiresAt} />
      {extras ? <InviteDelivery url={session.inviteUrl} state={extras.delivery} actions={extras.deliveryActions} /> : null}
      <Divider />
      <Actions>
        {session.seat.yours ? (
          <Button isPrimary isStretched onClick={actions.openConsole}>
            <Button.StartIcon>
              <NewWindowIcon />
            </Button.StartIcon>
            {t('sidebar.openConsole')}
          </Button>
        ) : (
          <TakeOverControl
            holder={session.seat.holder}
            busy={state.busy === SidebarAction.takeOver}
            onTakeOver={actions.takeOver}
            onObserve={actions.observe}
          />
        )}
        {/* Only the seat holder ends the call; another agent takes it over first. */}
        {session.seat.yours ? <EndSessionControl busy={state.busy === SidebarAction.end} onEnd={actions.endSession} /> : null}
      </Actions>
    </>
  );
}
