import { z } from 'zod';
import { ConfigError } from './errors.js';
import { optional, stripTrailingSlash, type Env } from './env.js';

/** Where Twilio posts the invite SMS's delivery statuses (relative to the public base URL). */
export const SMS_STATUS_CALLBACK_PATH = '/api/delivery/twilio/sms-status';

export function smsStatusCallbackUrl(webhookBaseUrl: string): string {
  return `${stripTrailingSlash(webhookBaseUrl)}${SMS_STATUS_CALLBACK_PATH}`;
}

const SmsEnvSchema = z.object({
  TWILIO_MESSAGING_SERVICE_SID: optional(
    z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'TWILIO_MESSAGING_SERVICE_SID must look like MG followed by 32 hex digits'),
  ),
  TWILIO_SMS_FROM: optional(
    z.string().regex(/^\+[1-9]\d{7,14}$/, 'TWILIO_SMS_FROM must be a phone number in E.164 form, e.g. +4915123456789'),
  ),
});

/** What SMS takes from the Twilio configuration (config/twilio.ts's TwilioConfig has it all). */
export interface TwilioCredentials {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  authToken: string;
  webhookBaseUrl: string | null;
}

/** Invite links by SMS through Twilio Messaging; the REST credentials are the Twilio ones. */
export interface SmsConfig {
  twilio: Pick<TwilioCredentials, 'accountSid' | 'apiKeySid' | 'apiKeySecret'>;
  /** Twilio signs the delivery status callbacks with the account auth token. */
  authToken: string;
  /** Full URL Twilio posts delivery statuses to; null: Twilio cannot reach the relay (no status shown). */
  statusCallbackUrl: string | null;
  /** Sender: a Messaging Service (preferred, it picks the number) or one number. */
  sender: { messagingServiceSid: string } | { from: string };
}

/** null when no SMS sender is configured; throws ConfigError when one is set without Twilio credentials. */
export function parseSmsEnv(env: Env, twilio: TwilioCredentials | null): SmsConfig | null {
  const parsed = SmsEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid SMS configuration:\n${z.prettifyError(parsed.error)}`);
  const { TWILIO_MESSAGING_SERVICE_SID: service, TWILIO_SMS_FROM: from } = parsed.data;
  if (service === undefined && from === undefined) return null;
  if (!twilio) {
    throw new ConfigError(
      'SMS invites need the Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, TWILIO_AUTH_TOKEN) ' +
        'besides TWILIO_MESSAGING_SERVICE_SID or TWILIO_SMS_FROM.',
    );
  }
  return {
    twilio: { accountSid: twilio.accountSid, apiKeySid: twilio.apiKeySid, apiKeySecret: twilio.apiKeySecret },
    authToken: twilio.authToken,
    statusCallbackUrl: twilio.webhookBaseUrl ? smsStatusCallbackUrl(twilio.webhookBaseUrl) : null,
    sender: service !== undefined ? { messagingServiceSid: service } : { from: from! },
  };
}
