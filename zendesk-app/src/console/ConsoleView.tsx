import styled from 'styled-components';
import { Alert } from '@zendeskgarden/react-notifications';
import { Button } from '@zendeskgarden/react-buttons';
import { Spinner } from '@zendeskgarden/react-loaders';
import { LG, MD } from '@zendeskgarden/react-typography';
import { PALETTE } from '@zendeskgarden/react-theming';
import { SessionStatus } from '@live-assist/protocol';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { customerStatusFrom } from '../sidebar/customerStatus';
import { ConsoleHeader } from './ConsoleHeader';
import { callErrorMessage } from './NetworkQualityMeter';
import { ConsolePhase, ConsoleProblem, OwnMedia, type ConsoleState } from './consoleSession';
import { connectionView } from './connection';
import { SessionPanel } from './SessionPanel';
import { stageMessageOf } from './stageMessage';
import { VideoStage } from './VideoStage';

const Layout = styled.div`
  display: grid;
  grid-template-rows: auto 1fr;
  height: 100vh;
  overflow: hidden;
`;

const Body = styled.div`
  display: grid;
  /* The video is letterboxed at the modal's size anyway, so the column can keep German and
     Bulgarian progress rows and the composer's placeholder on one line; wider, the tool bar wraps. */
  grid-template-columns: minmax(0, 1fr) clamp(260px, 26vw, 360px);
  min-height: 0;
`;

/* The chat takes the room the session panel leaves; the panel scrolls within its share. */
const Side = styled.div<{ $withChat: boolean }>`
  display: grid;
  grid-template-rows: ${(p) => (p.$withChat ? 'minmax(0, max-content) minmax(min(360px, 55%), 1fr)' : 'minmax(0, 1fr)')};
  min-height: 0;
`;

const Main = styled.main`
  display: grid;
  /* Row 2 is where the annotation tool bar goes. */
  grid-template-rows: minmax(0, 1fr) auto;
  gap: ${(p) => p.theme.space.sm};
  padding: ${(p) => p.theme.space.md};
  min-height: 0;
`;

const Hint = styled(MD)`
  max-width: 34em;
  color: ${PALETTE.grey[500]};
`;

const problemText: Record<ConsoleProblem, MessageKey> = {
  [ConsoleProblem.load]: 'console.problem.load',
  [ConsoleProblem.signedOut]: 'app.signedOut',
  [ConsoleProblem.replaced]: 'console.problem.replaced',
  [ConsoleProblem.heldElsewhere]: 'console.problem.heldElsewhere',
  [ConsoleProblem.unsupportedMedia]: 'console.problem.unsupportedMedia',
  [ConsoleProblem.end]: 'console.problem.end',
  [ConsoleProblem.call]: 'console.problem.call',
};

type Props = {
  ticketId: number | null;
  state: ConsoleState | null;
  onEnd: () => void;
  onClose: () => void;
  onRetry: () => void;
  /** The chat panel, under the session panel in the right column. */
  chat?: React.ReactNode;
  /** Annotation layer over the customer's video, and its tool bar under it. */
  annotations?: { overlay: React.ReactNode; toolbar: React.ReactNode };
  /** A still is frozen on the stage (the annotation model's freeze state). */
  frozen?: boolean;
  /** The agent's own picture steps aside (Read text's box on the still must show whole). */
  hideSelfView?: boolean;
};

export function ConsoleView({ ticketId, state, onEnd, onClose, onRetry, chat, annotations, frozen = false, hideSelfView = false }: Props) {
  const { t } = useI18n();
  const phase = state?.phase ?? ConsolePhase.loading;
  const session = state?.session ?? null;
  const customer = state?.customer ?? null;
  const ended = phase === ConsolePhase.ended || session?.status === SessionStatus.ended;
  const stage = customer?.stage ?? session?.customerStage ?? null;
  const status =
    session && stage ? customerStatusFrom({ ended, stage, connected: customer?.connected ?? session.customerConnected }) : null;
  const live = phase === ConsolePhase.live || phase === ConsolePhase.connecting;

  const message = stageMessageOf({
    status,
    customerConnected: customer?.connected ?? false,
    hasRemoteVideo: Boolean(state?.remoteStream?.getVideoTracks().length),
    cameraOn: customer?.media.camera ?? false,
    pictureLive: state?.call === 'connected',
    voiceOnly: state?.customerStep === 'audio',
    frozen,
  });

  let cover: React.ReactNode = null;
  if (phase === ConsolePhase.loading) {
    cover = <Spinner size="40" color={PALETTE.grey[400]} aria-label={t('app.loading')} />;
  } else if (phase === ConsolePhase.noSession) {
    cover = (
      <>
        <LG tag="h2">{t('console.noSession.title')}</LG>
        <Hint tag="p">{t('console.noSession.body')}</Hint>
      </>
    );
  } else if (ended) {
    cover = (
      <>
        <LG tag="h2">{t('console.ended.title')}</LG>
        <Hint tag="p">{t('console.ended.body')}</Hint>
        {/* Primary: the default button's blue text on the dark stage is 3.9:1, not the 4.5:1 text needs. */}
        <Button isPrimary onClick={onClose}>
          {t('console.close')}
        </Button>
      </>
    );
  } else if (phase === ConsolePhase.failed) {
    cover = (
      <>
        <LG tag="h2">{t(problemText[state?.problem ?? ConsoleProblem.load])}</LG>
        {state?.problem === ConsoleProblem.load ? (
          <Button isPrimary onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : null}
      </>
    );
  }

  // Problems that leave the call running are shown above it instead of replacing it.
  const inlineProblem = !cover && state?.problem ? state.problem : null;

  return (
    <Layout>
      <ConsoleHeader
        ticketId={ticketId}
        customer={customer}
        status={status}
        connection={live && state ? connectionView(state.socket, state.call, customer?.connected ?? false) : null}
        quality={live ? (state?.networkQuality ?? null) : null}
        canEnd={live && session?.status === SessionStatus.active && !state?.observing}
        ending={state?.ending ?? false}
        onEnd={onEnd}
      />
      <Body>
        <Main>
          {!cover && state?.observing ? (
            <Alert type="info" role="status" data-testid="observing">
              <Alert.Title>{t('console.observing.title')}</Alert.Title>
              <Alert.Paragraph>{t('console.observing.body', { name: session?.seat.holder ?? '' })}</Alert.Paragraph>
              {state.remoteStream ? null : (
                <Alert.Paragraph>{t('console.observing.noVideo', { name: session?.seat.holder ?? '' })}</Alert.Paragraph>
              )}
            </Alert>
          ) : null}
          <VideoStage
            remoteStream={state?.remoteStream ?? null}
            localStream={state?.localStream ?? null}
            ownCameraUnavailable={state?.ownMedia === OwnMedia.unavailable}
            selfView={!state?.observing && !hideSelfView}
            message={message}
            cover={cover}
            overlay={annotations?.overlay}
            customerStep={state?.customerStep ?? 'high'}
          />
          {!cover && annotations ? annotations.toolbar : null}
          {!cover && state?.callError ? (
            <Alert type="error" role="alert">
              <Alert.Paragraph>{t(callErrorMessage(state.callError))}</Alert.Paragraph>
            </Alert>
          ) : null}
          {inlineProblem ? (
            <Alert type="error" role="alert">
              <Alert.Paragraph>{t(problemText[inlineProblem])}</Alert.Paragraph>
            </Alert>
          ) : null}
        </Main>
        {/* After the end the chat has nothing left to send on; the panel takes the column. */}
        <Side $withChat={Boolean(chat) && !ended}>
          <SessionPanel
            stage={stage}
            stageDetail={customer?.stageDetail}
            connected={customer?.connected ?? false}
            location={state?.location ?? null}
            expiresAt={ended ? null : (session?.expiresAt ?? null)}
            observers={ended ? [] : (state?.observers ?? []).map((o) => o.displayName)}
          />
          {ended ? null : chat}
        </Side>
      </Body>
    </Layout>
  );
}
