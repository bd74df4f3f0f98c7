import type { MessageKey } from '../i18n/i18n';

/**
 * Twilio's delivery error codes (status callback `ErrorCode`) in words an agent can act on: a
 * switched-off phone is worth a resend later, a landline or unknown number needs another number.
 */
const REASONS: Record<number, MessageKey> = {
  30003: 'invite.smsUnreachable',
  30004: 'invite.smsBlocked',
  30005: 'invite.smsUnknownNumber',
  30006: 'invite.smsLandline',
  30007: 'invite.smsFiltered',
};

export function smsFailureReason(errorCode: number | null): MessageKey {
  return (errorCode !== null ? REASONS[errorCode] : undefined) ?? 'invite.smsFailedOther';
}
