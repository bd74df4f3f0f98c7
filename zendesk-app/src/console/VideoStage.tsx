import { useState, type ReactNode } from 'react';
import type { QualityStep } from '@live-assist/protocol';
import { Button } from '@zendeskgarden/react-buttons';
import styled from 'styled-components';
import { PALETTE, getColor } from '@zendeskgarden/react-theming';
import { Dots } from '@zendeskgarden/react-loaders';
import { LG, MD, SM } from '@zendeskgarden/react-typography';
import { AlertIcon, VideoOffIcon, VolumeIcon } from '../components/icons';
import { useI18n } from '../i18n/i18n';
import { StageMessage } from './stageMessage';
import { VideoElement } from './VideoElement';

// The stage stays dark in both colour schemes: letterboxing around video reads as "no picture".
const Stage = styled.section`
  position: relative;
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: ${PALETTE.grey[1200]};
  min-height: 0;
  overflow: hidden;
`;

const Remote = styled(VideoElement)`
  display: block;
  width: 100%;
  height: 100%;
  object-fit: contain;
  background: ${PALETTE.grey[1200]};
`;

const Overlay = styled.div`
  display: flex;
  position: absolute;
  inset: 0;
  /* Opaque: a frozen last frame behind the message would look like a live picture. */
  background: ${PALETTE.grey[1200]};
  flex-direction: column;
  align-items: center;
  justify-content: center;
  gap: ${(p) => p.theme.space.sm};
  padding: ${(p) => p.theme.space.xl};
  text-align: center;
  color: ${PALETTE.grey[300]};

  & > p,
  & > h2 {
    margin: 0;
  }

  & > svg {
    width: 32px;
    height: 32px;
    color: ${PALETTE.grey[500]};
  }
`;

/** Over the top of a live picture: says something without hiding what the customer shows. */
const Banner = styled.div`
  display: flex;
  position: absolute;
  top: ${(p) => p.theme.space.sm};
  left: 50%;
  transform: translateX(-50%);
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: rgb(0 0 0 / 70%);
  padding: ${(p) => p.theme.space.xs} ${(p) => p.theme.space.sm};
  max-width: calc(100% - ${(p) => p.theme.space.xl});
  color: ${PALETTE.white};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

/** Bottom left, away from the banners and the agent's own picture: the picture is reduced on purpose. */
const StepChip = styled.div`
  position: absolute;
  bottom: ${(p) => p.theme.space.md};
  left: ${(p) => p.theme.space.md};
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: rgb(0 0 0 / 65%);
  padding: ${(p) => p.theme.space.xxs} ${(p) => p.theme.space.xs};
  color: ${PALETTE.white};
  font-size: ${(p) => p.theme.fontSizes.sm};
  pointer-events: none;
`;

const Hint = styled(MD)`
  max-width: 34em;
  color: ${PALETTE.grey[500]};
`;

const SelfView = styled.figure`
  position: absolute;
  right: ${(p) => p.theme.space.md};
  bottom: ${(p) => p.theme.space.md};
  margin: 0;
  /* Square: a rounded clip over live video makes a software compositor redraw the whole frame
     at the camera's rate, some 11 % of a core on an agent's machine without GPU drawing. */
  border: 2px solid ${PALETTE.grey[800]};
  background: ${PALETTE.grey[1100]};
  width: 208px;
  aspect-ratio: 16 / 9;
  overflow: hidden;
  box-shadow: ${(p) => p.theme.shadows.lg('8px', '24px', getColor({ theme: p.theme, variable: 'shadow.large' }))};
`;

const Self = styled(VideoElement)`
  display: block;
  width: 100%;
  height: 100%;
  object-fit: cover;
  /* The agent's own front camera is shown mirrored, as people expect to see themselves. */
  transform: scaleX(-1);
`;

const SelfLabel = styled(SM)`
  position: absolute;
  bottom: ${(p) => p.theme.space.xxs};
  left: ${(p) => p.theme.space.xs};
  border-radius: ${(p) => p.theme.borderRadii.sm};
  background: rgb(0 0 0 / 55%);
  padding: 0 ${(p) => p.theme.space.xxs};
  color: ${PALETTE.white};
`;

const SelfNotice = styled.figcaption`
  display: flex;
  position: absolute;
  inset: 0;
  align-items: center;
  justify-content: center;
  gap: ${(p) => p.theme.space.xxs};
  padding: ${(p) => p.theme.space.xs};
  text-align: center;
  color: ${PALETTE.grey[400]};
  font-size: ${(p) => p.theme.fontSizes.sm};

  & > svg {
    flex: none;
  }
`;

type Props = {
  remoteStream: MediaStream | null;
  localStream: MediaStream | null;
  ownCameraUnavailable: boolean;
  /** The agent's own picture in the corner; an observer has none (they publish nothing). */
  selfView?: boolean;
  message: StageMessage;
  /** Replaces the call view entirely (ended, no session, errors). */
  cover?: ReactNode;
  /** Drawn over the remote video (the annotation layer); hidden while a stage message shows. */
  overlay?: ReactNode;
  /** The customer's quality step: below the top, a chip says the picture is reduced on purpose. */
  customerStep?: QualityStep;
};

const SoundButton = styled(Button)`
  position: absolute;
  top: ${(p) => p.theme.space.md};
  left: 50%;
  transform: translateX(-50%);
`;

export function VideoStage({
  remoteStream,
  localStream,
  ownCameraUnavailable,
  message,
  cover,
  overlay,
  selfView = true,
  customerStep = 'high',
}: Props) {
  const { t } = useI18n();
  const [soundBlocked, setSoundBlocked] = useState(false);
  return (
    <Stage aria-label={t('console.remoteVideo')} data-customer-step={customerStep}>
      <Remote
        stream={cover ? null : remoteStream}
        muted={soundBlocked}
        onSoundBlocked={() => setSoundBlocked(true)}
        data-testid="remote-video"
        aria-label={t('console.remoteVideo')}
      />
      {cover ? null : overlay}
      {!cover && message === StageMessage.none && (customerStep === 'medium' || customerStep === 'low') ? (
        <StepChip role="status" data-testid="reduced-quality">
          {t(customerStep === 'low' ? 'console.qualityLow' : 'console.qualityMedium')}
        </StepChip>
      ) : null}
      {cover ? <Overlay>{cover}</Overlay> : <StageOverlay message={message} />}
      {cover || !selfView ? null : (
        <SelfView aria-label={t('console.selfView')}>
          <Self stream={localStream} muted data-testid="local-video" aria-label={t('console.selfView')} />
          {ownCameraUnavailable ? (
            <SelfNotice>
              <AlertIcon />
              {t('console.ownCameraUnavailable')}
            </SelfNotice>
          ) : null}
          <SelfLabel tag="span">{t('console.you')}</SelfLabel>
        </SelfView>
      )}
      {soundBlocked && !cover ? (
        <SoundButton isPrimary onClick={() => setSoundBlocked(false)}>
          <Button.StartIcon>
            <VolumeIcon />
          </Button.StartIcon>
          {t('console.turnOnSound')}
        </SoundButton>
      ) : null}
    </Stage>
  );
}

function StageOverlay({ message }: { message: StageMessage }) {
  const { t } = useI18n();
  switch (message) {
    case StageMessage.none:
      return null;
    case StageMessage.notJoined:
      return <TextOverlay title={t('console.notJoined')} hint={t('console.notJoinedHint')} />;
    case StageMessage.lost:
      return <TextOverlay title={t('console.customerLost')} hint={t('console.customerLostHint')} />;
    case StageMessage.reconnecting:
      return (
        <Banner role="status">
          <Dots size="16" color={PALETTE.grey[300]} aria-hidden="true" />
          <span>
            <strong>{t('console.customerReconnecting')}</strong> {t('console.customerReconnectingHint')}
          </span>
        </Banner>
      );
    case StageMessage.left:
      return <TextOverlay title={t('console.customerLeft')} hint={t('console.customerLeftHint')} />;
    case StageMessage.voiceOnly:
      return (
        <Overlay role="status" data-testid="voice-only">
          <VolumeIcon />
          <LG tag="p">{t('console.voiceOnly')}</LG>
          <Hint tag="p">{t('console.voiceOnlyHint')}</Hint>
        </Overlay>
      );
    case StageMessage.voiceOnlyFrozen:
      return (
        <Banner role="status" data-testid="voice-only">
          <VolumeIcon aria-hidden="true" />
          <span>
            <strong>{t('console.voiceOnly')}</strong> {t('console.voiceOnlyFrozenHint')}
          </span>
        </Banner>
      );
    case StageMessage.gettingReady:
      return <TextOverlay title={t('console.gettingReady')} hint={t('console.gettingReadyHint')} />;
    case StageMessage.connecting:
      return (
        <Overlay role="status">
          <Dots size="32" color={PALETTE.grey[400]} aria-hidden="true" />
          <LG tag="p">{t('console.connectingVideo')}</LG>
        </Overlay>
      );
    case StageMessage.cameraOff:
      return (
        <Overlay role="status">
          <VideoOffIcon />
          <LG tag="p">{t('console.customerCameraOff')}</LG>
        </Overlay>
      );
  }
}

function TextOverlay({ title, hint }: { title: string; hint: string }) {
  return (
    <Overlay role="status">
      <LG tag="p">{title}</LG>
      <Hint tag="p">{hint}</Hint>
    </Overlay>
  );
}
