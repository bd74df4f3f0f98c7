import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol';
import type { MediaErrorKind } from '@live-assist/client-core';
import { BrandMark } from '../components/BrandMark.js';
import { AlertIcon, CameraMicIcon } from '../components/Icons.js';

type Props = {
  invite: InviteView;
  busy: boolean;
  error: MediaErrorKind | null;
  onAllow(): void;
};

/**
 * Help for a failed camera request. Per-browser instructions come later (DESIGN §1 step 5);
 * they plug in here, keyed by error kind.
 */
function PermissionHelp({ kind }: { kind: MediaErrorKind }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice--danger" role="alert">
      <AlertIcon className="notice__icon" width={22} height={22} />
      <div>
        <p className="notice__title">{t(`permissions.errors.${kind}.title`)}</p>
        <p className="notice__body">{t(`permissions.errors.${kind}.body`)}</p>
      </div>
    </div>
  );
}

export function PermissionsScreen({ invite, busy, error, onAllow }: Props) {
  const { t } = useTranslation();
  return (
    <div className="page page--permissions">
      <header className="topbar">
        <BrandMark branding={invite.branding} />
      </header>
      <main className="permissions">
        <div className="permission-art" aria-hidden="true">
          <span className="permission-art__ring" />
          <span className="permission-art__badge">
            <CameraMicIcon width={34} height={34} />
          </span>
        </div>
        <p className="eyebrow">{t('permissions.step')}</p>
        <h1 className="permissions__title">{t('permissions.title')}</h1>
        <p className="lead">{t('permissions.body')}</p>
        {error && <PermissionHelp kind={error} />}
      </main>
      <footer className="action-card action-card--plain">
        {!error && <p className="action-card__hint">{t('permissions.hint')}</p>}
        <button
          type="button"
          className="btn btn--primary btn--block"
          disabled={busy}
          aria-busy={busy}
          onClick={onAllow}
        >
          {busy && <span className="spinner spinner--on-brand" aria-hidden="true" />}
          {error ? t('permissions.retry') : t('permissions.allow')}
        </button>
      </footer>
    </div>
  );
}
