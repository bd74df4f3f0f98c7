import { useId } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import { Paragraph } from '@zendeskgarden/react-typography';
import { Well } from '@zendeskgarden/react-notifications';
import { useConfirm } from '../hooks/useConfirm';
import { useI18n } from '../i18n/i18n';
import { Confirm, ConfirmButtons } from './confirmStyles';

const Holder = styled(Paragraph)`
  font-weight: ${(p) => p.theme.fontWeights.semibold};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
`;

const Hint = styled(Paragraph)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

/**
 * Another agent holds the specialist seat: say who, and offer taking over only as a confirmed,
 * explicit action (the other agent leaves the call and the customer is told). Watching is the
 * lighter action next to it: it opens the console as an observer; the customer sees who watches.
 */
export function TakeOverControl({
  holder,
  busy,
  onTakeOver,
  onObserve,
}: {
  holder: string;
  busy: boolean;
  onTakeOver: () => void;
  onObserve: () => void;
}) {
  const { t } = useI18n();
  const { confirming, ask, cancel, askRef, cancelRef } = useConfirm();
  const titleId = useId();
  return (
    <>
      <Holder>{t('sidebar.seat.heldBy', { name: holder })}</Holder>
      {confirming ? (
        <Confirm isRecessed role="group" aria-labelledby={titleId}>
          <Well.Title id={titleId}>{t('sidebar.seat.confirmTitle', { name: holder })}</Well.Title>
          <Well.Paragraph>{t('sidebar.seat.confirmBody', { name: holder })}</Well.Paragraph>
          <ConfirmButtons>
            <Button ref={cancelRef} size="small" isBasic onClick={cancel} disabled={busy}>
              {t('app.cancel')}
            </Button>
            <Button size="small" isPrimary onClick={onTakeOver} disabled={busy}>
              {t('sidebar.seat.takeOver')}
            </Button>
          </ConfirmButtons>
        </Confirm>
      ) : (
        <>
          <Button isStretched onClick={onObserve} disabled={busy}>
            {t('sidebar.seat.watch')}
          </Button>
          <Hint>{t('sidebar.seat.watchHint', { name: holder })}</Hint>
          <Button ref={askRef} isStretched onClick={ask}>
            {t('sidebar.seat.takeOver')}
          </Button>
        </>
      )}
    </>
  );
}
