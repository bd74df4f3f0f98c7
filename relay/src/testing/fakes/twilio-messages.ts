import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`),
 * in Twilio's JSON shapes, for tests of SMS invites. Point the client at it with RebasedRequestClient.
 */
export interface SentMessage {
  sid: string;
  accountSid: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/**
 * Twilio's request signature: HMAC-SHA1, keyed with the auth token, over the full URL followed by
 * every POST parameter as name + value, sorted by name; base64.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const sorted = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', authToken)
    .update(url + sorted.map(([name, value]) => name + value).join(''), 'utf8')
    .digest('base64');
}

export class FakeTwilioMessages {
  readonly sent: SentMessage[] = [];
  /**
   * Where status callbacks are actually posted (the relay's local address); the signature still
   * covers the StatusCallback URL as given, as behind a proxy. Empty: post to that URL itself.
   */
  callbackTarget = '';
  /** Numbers Twilio answers with error 21211 ("not a valid phone number"). */
  readonly invalidNumbers = new Set<string>();
  /** Numbers Twilio refuses for an account reason, e.g. 21408 (no Geo Permission for that country). */
  readonly refusedFor = new Map<string, { code: number; message: string }>();
  url = '';
  private server: Server | null = null;
  private counter = 0;

  /** `authToken`: the account's, which Twilio signs status callbacks with. */
  constructor(private readonly options: { authToken?: string } = {}) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        if (req.method !== 'POST' || !match) {
          json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
          return;
        }
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const to = form.get('To') ?? '';
        if (this.invalidNumbers.has(to)) {
          json(400, {
            code: 21211,
            message: `The 'To' number ${to} is not a valid phone number.`,
            more_info: 'https://www.twilio.com/docs/errors/21211',
            status: 400,
          });
          return;
        }
        const refusal = this.refusedFor.get(to);
        if (refusal) {
          json(400, { ...refusal, more_info: `https://www.twilio.com/docs/errors/${refusal.code}`, status: 400 });
          return;
        }
        const callback = form.get('StatusCallback');
        if (callback !== null && !isHttpUrl(callback)) {
          json(400, {
            code: 21609,
            message: 'Invalid StatusCallback url',
            more_info: 'https://www.twilio.com/docs/errors/21609',
            status: 400,
          });
          return;
        }
        this.counter += 1;
        const sid = `SM${this.counter.toString(16).padStart(32, '0')}`;
        this.sent.push({ sid, accountSid: match[1]!, authorization: req.headers.authorization, form });
        json(201, {
          sid,
          account_sid: match[1],
          to,
          from: form.get('From'),
          messaging_service_sid: form.get('MessagingServiceSid'),
          body: form.get('Body'),
          status: 'queued',
          num_segments: '1',
          direction: 'outbound-api',
          date_created: new Date().toUTCString(),
          uri: `/2010-04-01/Accounts/${match[1]}/Messages/SM${this.counter}.json`,
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Posts a status callback for a sent message to its StatusCallback, signed as Twilio signs it
   * (`signWith` another token forges it). Resolves with the HTTP status the relay answered.
   */
  async reportStatus(sid: string, status: string, options: { errorCode?: number; signWith?: string } = {}): Promise<number> {
    const message = this.sent.find((m) => m.sid === sid);
    const url = message?.form.get('StatusCallback');
    if (!message || !url) throw new Error(`message ${sid} was sent without a StatusCallback`);
    const authToken = options.signWith ?? this.options.authToken;
    if (!authToken) throw new Error('FakeTwilioMessages needs the auth token to sign callbacks');
    const to = message.form.get('To') ?? '';
    const params = new URLSearchParams({
      AccountSid: message.accountSid,
      ApiVersion: '2010-04-01',
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      To: to,
    });
    const from = message.form.get('From');
    if (from) params.set('From', from);
    const service = message.form.get('MessagingServiceSid');
    if (service) params.set('MessagingServiceSid', service);
    // Twilio adds ErrorCode only to failed and undelivered messages.
    if (options.errorCode !== undefined) params.set('ErrorCode', String(options.errorCode));
    const target = this.callbackTarget ? `${this.callbackTarget}${new URL(url).pathname}${new URL(url).search}` : url;
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': twilioSignature(authToken, url, params),
        'I-Twilio-Idempotency-Token': sid + status,
      },
      body: params.toString(),
    });
    await res.arrayBuffer();
    return res.status;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
