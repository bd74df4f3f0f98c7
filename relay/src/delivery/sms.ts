import type twilio from 'twilio';
import { createTwilioClient, type TwilioClient } from '../media/twilio/client.js';
import type { SmsConfig } from '../config/sms.js';
import type { ExternalCalls } from '../metrics/external.js';

export interface SmsSender {
  /** Resolves with the provider's message id once it accepted the message. */
  send(to: string, body: string): Promise<string>;
  /** Where Twilio reports delivery and the key it signs with; null: no statuses come back. */
  readonly statusCallback: { url: string; authToken: string } | null;
}

export class SmsSendError extends Error {
  override name = 'SmsSendError';
  constructor(
    message: string,
    /** true: the number was refused (invalid, unreachable, opted out); retrying will not help. */
    readonly badNumber: boolean,
    options?: { cause?: unknown; misconfigured?: boolean },
  ) {
    super(message, options);
    this.misconfigured = options?.misconfigured ?? false;
  }
  /** true: the account or sender cannot send there (an admin's job, not the number's fault). */
  readonly misconfigured: boolean;
}

// Twilio REST error codes that mean "this number", not "try later".
const BAD_NUMBER_CODES = new Set([21211, 21214, 21610, 21614]);
// Codes that mean the account's setup: no Geo Permission for the country (21408), a sender that
// cannot send SMS (21606) or not to that route (21612), a trial account's unverified number (21608).
const CONFIG_CODES = new Set([21408, 21606, 21608, 21612]);

/** Twilio Programmable Messaging (`POST /2010-04-01/Accounts/{sid}/Messages.json`). */
export class TwilioSmsSender implements SmsSender {
  private readonly client: TwilioClient;
  readonly statusCallback: SmsSender['statusCallback'];

  constructor(
    private readonly config: SmsConfig,
    options: { httpClient?: twilio.RequestClient; calls?: ExternalCalls } = {},
  ) {
    this.client = createTwilioClient(config.twilio, options);
    this.statusCallback = config.statusCallbackUrl ? { url: config.statusCallbackUrl, authToken: config.authToken } : null;
  }

  async send(to: string, body: string): Promise<string> {
    try {
      const { statusCallbackUrl } = this.config;
      const message = await this.client.messages.create({
        to,
        body,
        ...this.config.sender,
        // Twilio then reports sent / delivered / failed, which the agent's sidebar shows.
        ...(statusCallbackUrl ? { statusCallback: statusCallbackUrl } : {}),
      });
      return message.sid;
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      const badNumber = typeof code === 'number' && BAD_NUMBER_CODES.has(code);
      const misconfigured = typeof code === 'number' && CONFIG_CODES.has(code);
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new SmsSendError(`Twilio did not accept the SMS (${String(code)}): ${detail}`, badNumber, { cause, misconfigured });
    }
  }
}

/** `+4915123456789` → `+49 ••• ••• 789`: enough to recognise, not to copy. */
export function maskPhone(e164: string): string {
  return `${e164.slice(0, 3)} ••• ••• ${e164.slice(-3)}`;
}
