import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerCallSnapshot } from '../../call/customerCall.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { MicIcon, MicOffIcon, PhoneOffIcon, VideoIcon, VideoOffIcon } from '../components/Icons.js';
import { VideoView } from '../components/VideoView.js';
import { ChatButton } from '../../chat/ChatButton.js';
import { ChatSheet } from '../../chat/ChatSheet.js';
import '../components/notice.css';
import './call.css';
import './call-controls.css';

type Props = {
  call: CustomerCallSnapshot;
  onToggleCamera(): void;
  onToggleMicrophone(): void;
  onEndCall(): void;
  /** The specialist has frozen the picture: the pill says so instead of "Live". */
  frozen?: boolean;
  /** Drawn over the preview, under the controls (annotations, frozen still). */
  overlay?: React.ReactNode;
  /** Over the picture, above the marks: the light switch and what the specialist changed on the camera. */
  camera?: React.ReactNode;
};

function StatusPill({ connection, frozen }: { connection: CustomerCallSnapshot['connection']; frozen: boolean }) {
  const { t } = useTranslation();
  if (connection === 'connected' && frozen) {
    return (
      <div className="status-pill status-pill--frozen" role="status">
        <span className="status-pill__dot status-pill__dot--frozen" aria-hidden="true" />
        {t('call.frozen')}
      </div>
    );
  }
  if (connection === 'connected') {
    return (
      <div className="status-pill status-pill--live" role="status">
        <span className="status-pill__dot" aria-hidden="true" />
        {t('call.live')}
      </div>
    );
  }
  return (
    <div className="status-pill status-pill--waiting" role="status">
      <span className="spinner spinner--light" aria-hidden="true" />
      <span className="status-pill__text">{connection === 'reconnecting' ? t('call.reconnecting') : t('call.connecting')}</span>
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return parts
    .slice(0, 2)
    .map((p) => p.charAt(0).toUpperCase())
    .join('');
}

export function CallScreen({ call, onToggleCamera, onToggleMicrophone, onEndCall, frozen = false, overlay, camera }: Props) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const stageRef = useRef<HTMLDivElement>(null);
  const closeConfirm = useCallback(() => setConfirming(false), []);

  useEffect(() => {
    // Everything behind the dialog leaves the accessibility tree and tab order.
    const stage = stageRef.current;
    if (!stage) return;
    stage.inert = confirming;
    return () => {
      stage.inert = false;
    };
  }, [confirming]);

  const specialistName = call.specialist?.displayName || t('call.specialist');
  const remoteHasVideo = (call.remoteStream?.getVideoTracks().length ?? 0) > 0 && call.specialist?.media.camera !== false;

  return (
    <>
      <div className="call" ref={stageRef} data-quality-step={call.qualityStep}>
        <VideoView className="call__local" stream={call.localStream} muted mirrored={call.localMirrored} label={t('call.localVideo')} />
        {overlay}
        {!call.camera && (
          <div className="call__local-off">
            <VideoOffIcon width={36} height={36} />
            <p>{t('call.yourCameraOff')}</p>
          </div>
        )}

        <div className="call__top">
          <StatusPill connection={call.connection} frozen={frozen} />
        </div>
        {camera}
        <div className="call__alerts">
          {/* Over a frozen still it would hide the specialist's marks; the pill says frozen then. */}
          {call.qualityStep === 'audio' && call.connection === 'connected' && !frozen && (
            <div className="notice notice--warning" role="status" data-testid="weak-connection">
              <div>
                <p className="notice__title">{t('call.weakTitle')}</p>
                <p className="notice__body">{t('call.weakBody')}</p>
              </div>
            </div>
          )}
          {(call.takenOverBy || call.watching.length > 0) && !call.callError && (
            // One notice for both: who is on the call now, and who else is watching it.
            <div className="notice notice--info" role="status">
              {call.takenOverBy && <p className="notice__body">{t('call.takenOver', { name: call.takenOverBy })}</p>}
              {call.watching.length > 0 && (
                <p className="notice__body">
                  {call.watching.length === 1
                    ? t('call.watching', { name: call.watching[0] })
                    : t('call.watchingMany', { names: call.watching.join(', ') })}
                </p>
              )}
            </div>
          )}
          {call.callError && (
            <div className="notice notice--danger" role="alert">
              <p className="notice__body">{t(call.callError)}</p>
            </div>
          )}
        </div>

        <aside className="pip" aria-label={specialistName}>
          <VideoView className="pip__video" stream={call.remoteStream} label={t('call.remoteVideo')} />
          {!remoteHasVideo && (
            <div className="pip__placeholder">
              <span className="pip__avatar" aria-hidden="true">
                {initials(specialistName)}
              </span>
              {call.remoteStream && <span className="pip__note">{t('call.specialistCameraOff')}</span>}
            </div>
          )}
          <span className="pip__name">
            {call.specialist?.media.microphone === false && <MicOffIcon width={12} height={12} />}
            {specialistName}
          </span>
        </aside>

        <div className="controls">
          <div className="control">
            <button
              type="button"
              className={`control__button ${call.camera ? '' : 'control__button--off'}`}
              aria-label={call.camera ? t('call.cameraOff') : t('call.cameraOn')}
              disabled={!call.controlsReady}
              onClick={onToggleCamera}
            >
              {call.camera ? <VideoIcon /> : <VideoOffIcon />}
            </button>
            <span className="control__caption" aria-hidden="true">
              {t('call.captionCamera')}
            </span>
          </div>
          <div className="control">
            <button
              type="button"
              className={`control__button ${call.microphone ? '' : 'control__button--off'}`}
              aria-label={call.microphone ? t('call.mute') : t('call.unmute')}
              disabled={!call.controlsReady}
              onClick={onToggleMicrophone}
            >
              {call.microphone ? <MicIcon /> : <MicOffIcon />}
            </button>
            <span className="control__caption" aria-hidden="true">
              {t('call.captionMic')}
            </span>
          </div>
          <ChatButton />
          <div className="control">
            <button
              type="button"
              className="control__button control__button--end"
              aria-label={t('call.end')}
              onClick={() => setConfirming(true)}
            >
              <PhoneOffIcon />
            </button>
            <span className="control__caption" aria-hidden="true">
              {t('call.captionEnd')}
            </span>
          </div>
        </div>
        <ChatSheet specialistName={specialistName} />
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('call.confirmTitle')}
          body={t('call.confirmBody')}
          confirmLabel={t('call.confirmLeave')}
          cancelLabel={t('call.confirmStay')}
          onCancel={closeConfirm}
          onConfirm={() => {
            setConfirming(false);
            onEndCall();
          }}
        />
      )}
    </>
  );
}
