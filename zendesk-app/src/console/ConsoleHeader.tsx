import { useEffect } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import { Tag } from '@zendeskgarden/react-tags';
import { MD, SM } from '@zendeskgarden/react-typography';
import type { ParticipantState } from '@live-assist/protocol';
import type { NetworkQuality } from '@live-assist/client-core';
import { CallEndIcon, MicOffIcon, MicOnIcon, VideoIcon, VideoOffIcon } from '../components/icons';
import { useConfirm } from '../hooks/useConfirm';
import { useI18n } from '../i18n/i18n';
import { CustomerStatus } from '../sidebar/customerStatus';
import { visuallyHidden } from '../theme/visuallyHidden';
import type { ConnectionView } from './connection';
import { NetworkQualityMeter } from './NetworkQualityMeter';

const Bar = styled.header`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.lg};
  border-bottom: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  padding: 0 ${(p) => p.theme.space.md};
  min-height: 60px;
`;

const Title = styled.div`
  display: flex;
  flex-direction: column;
  flex: none;
`;

const Subtle = styled(SM)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

const Customer = styled.div`
  /* Narrow (Zendesk's 80vw modal on a 1280 px screen, in Bulgarian) the media labels fold away. */
  container-type: inline-size;
  display: flex;
  flex: 1;
  /* One row always (a header that wraps pushes the console down); the stage text gives way. */
  flex-wrap: nowrap;
  overflow: hidden;
  white-space: nowrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  border-left: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.subtle' })};
  padding-left: ${(p) => p.theme.space.lg};
  min-width: 0;
`;

/** Camera and mic of the customer: quiet when on, red when off (what the agent must notice). */
const MediaTag = styled.span<{ $off: boolean }>`
  display: inline-flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs};
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: ${(p) => getColor({ theme: p.theme, variable: p.$off ? 'background.danger' : 'background.subtle' })};
  padding: 0 ${(p) => p.theme.space.xs};
  line-height: ${(p) => p.theme.lineHeights.md};
  white-space: nowrap;
  color: ${(p) => getColor({ theme: p.theme, variable: p.$off ? 'foreground.danger' : 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

/** Folded away (still read out) while the end question needs the room: a header that wraps jumps. */
const MediaLabel = styled.span<{ $folded: boolean }>`
  ${(p) => p.$folded && visuallyHidden}
  @container (max-width: 600px) {
    ${visuallyHidden}
  }
`;

const Right = styled.div`
  display: flex;
  flex: none;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
`;

type Props = {
  ticketId: number | null;
  customer: ParticipantState | null;
  status: CustomerStatus | null;
  connection: ConnectionView | null;
  /** Both sides' 0–5 levels when the media engine measures them (Twilio). */
  quality?: NetworkQuality | null;
  canEnd: boolean;
  ending: boolean;
  onEnd: () => void;
};

export function ConsoleHeader({ ticketId, customer, status, connection, quality, canEnd, ending, onEnd }: Props) {
  const { t } = useI18n();
  // Camera and mic states mean something only once the customer is in the call; before that
  // "Camera off" would read as a problem while they are still on the privacy policy.
  const live = (customer?.connected ?? false) && status === CustomerStatus.inCall;
  const confirm = useConfirm();
  const camera = customer?.media.camera ? t('console.cameraOn') : t('console.cameraOff');
  const mic = customer?.media.microphone ? t('console.micOn') : t('console.micMuted');
  return (
    <Bar>
      <Title>
        <MD isBold tag="h1">
          {ticketId !== null ? t('console.ticket', { ticketId }) : t('app.name')}
        </MD>
        <Subtle>{t('console.videoSession')}</Subtle>
      </Title>
      <Customer aria-label={t('console.customer')} role="group" data-testid="customer-header">
        {/* The relay's displayName is an untranslated placeholder until the requester's name is known. */}
        <MD isBold tag="span">
          {t('console.customer')}
        </MD>
        {status ? (
          <MD tag="span" role="status" data-testid="customer-stage" data-status={status}>
            {t(`stage.${status}`)}
          </MD>
        ) : null}
        {customer && live ? (
          <>
            <MediaTag $off={!customer.media.camera} title={camera} data-testid="customer-camera">
              {customer.media.camera ? <VideoIcon /> : <VideoOffIcon />}
              <MediaLabel $folded={confirm.confirming}>{camera}</MediaLabel>
            </MediaTag>
            <MediaTag $off={!customer.media.microphone} title={mic} data-testid="customer-mic">
              {customer.media.microphone ? <MicOnIcon /> : <MicOffIcon />}
              <MediaLabel $folded={confirm.confirming}>{mic}</MediaLabel>
            </MediaTag>
          </>
        ) : null}
      </Customer>
      <Right>
        {quality ? <NetworkQualityMeter quality={quality} /> : null}
        {connection ? (
          <Tag hue={connection.hue} isPill role="status" data-testid="connection-state">
            {t(connection.label)}
          </Tag>
        ) : null}
        {canEnd ? <EndButton confirm={confirm} ending={ending} onEnd={onEnd} /> : null}
      </Right>
    </Bar>
  );
}

/** Asks once before ending; the confirming button keeps the name "End session". */
function EndButton({ confirm, ending, onEnd }: { confirm: ReturnType<typeof useConfirm>; ending: boolean; onEnd: () => void }) {
  const { t } = useI18n();
  const { confirming, ask, cancel, askRef, cancelRef } = confirm;
  // The question lives in the header now; it goes with the button (customer gone, session over).
  useEffect(() => cancel, [cancel]);
  if (!confirming) {
    return (
      <Button ref={askRef} isDanger onClick={ask}>
        <Button.StartIcon>
          <CallEndIcon />
        </Button.StartIcon>
        {t('console.endSession')}
      </Button>
    );
  }
  return (
    <>
      <Subtle tag="span">{t('console.endConfirm')}</Subtle>
      <Button ref={cancelRef} isBasic onClick={cancel} disabled={ending}>
        {t('app.cancel')}
      </Button>
      <Button isPrimary isDanger onClick={onEnd} disabled={ending}>
        {t('console.endSession')}
      </Button>
    </>
  );
}
