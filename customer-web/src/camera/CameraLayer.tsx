import './camera.css';
import { useTranslation } from 'react-i18next';
import type { CameraChange } from '@live-assist/protocol';
import type { CustomerCall, CustomerCallSnapshot } from '../call/customerCall.js';
import { FlashlightIcon, FlashlightOffIcon } from './CameraIcons.js';
import type { CameraNotice } from './customerCamera.js';
import { useCustomerCamera } from './useCustomerCamera.js';

type Props = { store: CustomerCall; call: CustomerCallSnapshot };

/** The customer's light switch (when the camera has one) and what the specialist changed. */
export function CameraLayer({ store, call }: Props) {
  const { t } = useTranslation();
  const { camera, state } = useCustomerCamera(store, call);
  const torchOn = state.settings?.torch ?? false;
  return (
    <>
      {state.capabilities?.torch && call.camera && (
        <button
          type="button"
          className={`camera-torch ${torchOn ? 'camera-torch--on' : ''}`}
          aria-pressed={torchOn}
          aria-label={torchOn ? t('camera.lightOff') : t('camera.lightOn')}
          data-testid="phone-torch"
          onClick={() => void camera?.toggleTorch()}
        >
          {torchOn ? <FlashlightIcon /> : <FlashlightOffIcon />}
        </button>
      )}
      {state.notice && (
        <div className="camera-notice" role="status" data-testid="camera-notice">
          <p className="camera-notice__text">{noticeText(t, state.notice.change)}</p>
          {state.notice.undo && (
            <button type="button" className="camera-notice__action" onClick={() => void camera?.undo(state.notice as CameraNotice)}>
              {undoText(t, state.notice.undo)}
            </button>
          )}
        </div>
      )}
    </>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function noticeText(t: T, change: CameraChange): string {
  switch (change.kind) {
    case 'torch':
      return change.on ? t('camera.notice.lightOn') : t('camera.notice.lightOff');
    case 'zoom':
      return t('camera.notice.zoom', { level: change.level.toFixed(1) });
    case 'facing':
      return change.facing === 'user' ? t('camera.notice.front') : t('camera.notice.back');
    case 'focus':
      return t('camera.notice.focus');
  }
}

function undoText(t: T, undo: CameraChange): string {
  switch (undo.kind) {
    case 'torch':
      return undo.on ? t('camera.undo.lightOn') : t('camera.undo.lightOff');
    case 'facing':
      return t('camera.undo.switchBack');
    default:
      return t('camera.undo.undo');
  }
}
