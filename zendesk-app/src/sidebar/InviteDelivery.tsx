import { useId, useRef, useState } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Input } from '@zendeskgarden/react-forms';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { DeliveryProblem, normalizePhone, type InviteDeliveryState } from './inviteDeliveryStore';
import { QrCode } from './QrCode';
import { smsFailureReason } from './smsFailure';
import { CopyState, useCopy } from '../hooks/useCopy';

const Column = styled.div`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
`;

const Row = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: ${(p) => p.theme.space.xs};
`;

/**
 * Where "sent" and "failed" notes appear. It stays in the page while empty, so screen readers
 * announce what arrives, but takes no gap of the column then.
 */
const Live = styled.div`
  &:empty {
    margin-top: -${(p) => p.theme.space.sm};
  }
`;

const Note = styled.p<{ $failed?: boolean }>`
  margin: 0;
  color: ${(p) => getColor({ theme: p.theme, variable: p.$failed ? 'foreground.danger' : 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
  line-height: ${(p) => p.theme.lineHeights.sm};
`;

const problemText: Record<DeliveryProblem, MessageKey> = {
  [DeliveryProblem.failed]: 'invite.sendFailed',
  [DeliveryProblem.badNumber]: 'invite.smsBadNumber',
  [DeliveryProblem.tooMany]: 'invite.smsTooMany',
  [DeliveryProblem.ended]: 'invite.sessionEnded',
  [DeliveryProblem.misconfigured]: 'invite.smsMisconfigured',
};

export type InviteDeliveryActions = {
  sendToRequester(): void;
  /** Puts the invite into the agent's own reply (the only way on a messaging ticket). */
  insertIntoReply(): void;
  /** Resolves true when the SMS was accepted. */
  sendSms(phoneNumber: string): Promise<boolean>;
  /** The last SMS again, to the same confirmed number. */
  resendSms(): void;
};

/** Ways to get the link to the customer besides copying it: ticket comment, QR code, SMS. */
export function InviteDelivery({ url, state, actions }: { url: string; state: InviteDeliveryState; actions: InviteDeliveryActions }) {
  const { t, formatTime } = useI18n();
  const [qr, setQr] = useState(false);
  const [smsOpen, setSmsOpen] = useState(false);
  const { busy, problem, sentToRequester, sentSms, smsStatus } = state;

  const insert = (
    <Button
      isStretched={state.messaging}
      size={state.messaging ? 'medium' : 'small'}
      isBasic={!state.messaging}
      onClick={actions.insertIntoReply}
      disabled={busy === 'reply'}
    >
      {t('invite.insertIntoReply')}
    </Button>
  );
  const inserted = (
    <Live role="status" aria-live="polite">
      {state.insertedIntoReply !== null && problem?.channel !== 'reply' ? <Note>{t('invite.insertedIntoReply')}</Note> : null}
      {problem?.channel === 'reply' ? (
        <Note $failed>{t(problem.kind === DeliveryProblem.ended ? 'invite.sessionEnded' : 'invite.insertFailed')}</Note>
      ) : null}
    </Live>
  );

  return (
    <Column>
      {state.messaging ? (
        // A public comment from the API stays on a messaging ticket; the agent's reply reaches the customer.
        <>
          <Note>{t('invite.messagingHint')}</Note>
          {insert}
          {inserted}
        </>
      ) : (
        <>
          <Button isStretched onClick={actions.sendToRequester} disabled={busy === 'requester'}>
            {busy === 'requester' ? t('invite.sending') : t('invite.sendToRequester')}
          </Button>
          <Live role="status" aria-live="polite">
            {sentToRequester ? <Note>{t('invite.sentToRequester', { time: formatTime(sentToRequester.sentAt) })}</Note> : null}
            {problem?.channel === 'requester' ? <Note $failed>{t(problemText[problem.kind])}</Note> : null}
          </Live>
        </>
      )}
      <Row>
        {state.messaging ? null : insert}
        <Button size="small" isBasic onClick={() => setQr((v) => !v)} aria-expanded={qr}>
          {qr ? t('invite.hideQr') : t('invite.showQr')}
        </Button>
        {state.smsAvailable ? (
          <Button size="small" isBasic onClick={() => setSmsOpen((v) => !v)} aria-expanded={smsOpen}>
            {t('invite.sendSms')}
          </Button>
        ) : null}
      </Row>
      {state.messaging ? null : inserted}
      {qr ? (
        <Column>
          <QrCode text={url} label={t('invite.qrLabel')} />
          <Note>{t('invite.qrHint')}</Note>
        </Column>
      ) : null}
      {state.smsAvailable && smsOpen ? <SmsForm busy={busy === 'sms'} onSend={actions.sendSms} onDone={() => setSmsOpen(false)} /> : null}
      <Live role="status" aria-live="polite">
        {sentSms && smsStatus?.state === 'delivered' ? <Note>{t('invite.smsDelivered', { to: smsStatus.to })}</Note> : null}
        {sentSms && smsStatus?.state === 'failed' ? (
          <Note $failed>
            {t('invite.smsNotDelivered', { to: smsStatus.to })} {t(smsFailureReason(smsStatus.errorCode))}
          </Note>
        ) : null}
        {sentSms && smsStatus?.state !== 'delivered' && smsStatus?.state !== 'failed' ? (
          <Note>{t('invite.smsSent', { to: sentSms.to ?? '', time: formatTime(sentSms.sentAt) })}</Note>
        ) : null}
        {problem?.channel === 'sms' ? <Note $failed>{t(problemText[problem.kind])}</Note> : null}
      </Live>
      {sentSms && smsStatus?.state === 'failed' ? <SmsRetry url={url} busy={busy === 'sms'} onResend={actions.resendSms} /> : null}
    </Column>
  );
}

/** After a failed SMS: the same text again (a phone that was off), or the link for another channel. */
function SmsRetry({ url, busy, onResend }: { url: string; busy: boolean; onResend(): void }) {
  const { t } = useI18n();
  // No input of its own to select: where the clipboard is refused, the link field above still is.
  const noFallback = useRef<HTMLInputElement>(null);
  const { state, copy } = useCopy(noFallback);
  return (
    <Row>
      <Button size="small" onClick={onResend} disabled={busy}>
        {busy ? t('invite.sending') : t('invite.resendSms')}
      </Button>
      <Button size="small" isBasic onClick={() => void copy(url)}>
        {t('sidebar.copyLink')}
      </Button>
      <span role="status" aria-live="polite">
        {state === CopyState.idle ? null : (
          <Note $failed={state === CopyState.failed}>{state === CopyState.copied ? t('sidebar.copied') : t('sidebar.copyFailed')}</Note>
        )}
      </span>
    </Row>
  );
}

/**
 * Two steps, so a mistyped number is seen before a text goes out: enter the number, then confirm
 * it on a button that repeats it.
 */
function SmsForm({ busy, onSend, onDone }: { busy: boolean; onSend(phone: string): Promise<boolean>; onDone(): void }) {
  const { t } = useI18n();
  const hintId = useId();
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const phone = normalizePhone(value);
  const invalid = touched && value.trim() !== '' && phone === null;
  return (
    <Column
      as="form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        if (!phone || busy) return;
        void onSend(phone).then((ok) => ok && onDone());
      }}
    >
      <Field>
        <Field.Label>{t('invite.phone')}</Field.Label>
        <Field.Hint id={hintId}>{t('invite.phoneHint')}</Field.Hint>
        <Input
          type="tel"
          inputMode="tel"
          autoComplete="off"
          isCompact
          value={value}
          validation={invalid ? 'error' : undefined}
          onChange={(e) => setValue(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        {invalid ? <Field.Message validation="error">{t('invite.phoneInvalid')}</Field.Message> : null}
      </Field>
      <Button type="submit" size="small" isPrimary disabled={!phone || busy}>
        {busy ? t('invite.sending') : phone ? t('invite.confirmSms', { phone }) : t('invite.sendSms')}
      </Button>
    </Column>
  );
}
