import { useId } from 'react';
import { Button } from '@zendeskgarden/react-buttons';
import { Well } from '@zendeskgarden/react-notifications';
import { useConfirm } from '../hooks/useConfirm';
import { useI18n } from '../i18n/i18n';
import { Confirm, ConfirmButtons } from './confirmStyles';

/**
 * "End session" asks first, inline: a dialog would not fit a sidebar iframe. While asking, the
 * confirming button carries the same name, so there is only ever one "End session" button.
 */
export function EndSessionControl({ busy, onEnd }: { busy: boolean; onEnd: () => void }) {
  const { t } = useI18n();
  const { confirming, ask, cancel, askRef, cancelRef } = useConfirm();
  const titleId = useId();
  if (!confirming) {
    return (
      <Button ref={askRef} isDanger isBasic isStretched onClick={ask}>
        {t('sidebar.endSession')}
      </Button>
    );
  }
  return (
    <Confirm isRecessed role="group" aria-labelledby={titleId}>
      <Well.Title id={titleId}>{t('sidebar.endConfirm.title')}</Well.Title>
      <Well.Paragraph>{t('sidebar.endConfirm.body')}</Well.Paragraph>
      <ConfirmButtons>
        <Button ref={cancelRef} size="small" isBasic onClick={cancel} disabled={busy}>
          {t('app.cancel')}
        </Button>
        <Button size="small" isPrimary isDanger onClick={onEnd} disabled={busy}>
          {t('sidebar.endSession')}
        </Button>
      </ConfirmButtons>
    </Confirm>
  );
}
