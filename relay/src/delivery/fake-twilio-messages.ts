import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`),
 * in Twilio's JSON shapes, for tests of SMS invites. Point the client at it with RebasedRequestClient.
 */
export interface SentMessage {
  accountSid: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

export class FakeTwilioMessages {
  readonly sent: SentMessage[] = [];
  /** Numbers Twilio answers with error 21211 ("not a valid phone number"). */
  readonly invalidNumbers = new Set<string>();
  /** Numbers Twilio refuses for an account reason, e.g. 21408 (no Geo Permission for that country). */
  readonly refusedFor = new Map<string, { code: number; message: string }>();
  url = '';
  private server: Server | null = null;
  private counter = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
        const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        if (req.method !== 'POST' || !match) {
          json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
          return;
        }
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const to = form.get('To') ?? '';
        if (this.invalidNumbers.has(to)) {
          json(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
          return;
        }
        const refusal = this.refusedFor.get(to);
        if (refusal) {
          json(400, { ...refusal, more_info: `https://www.twilio.com/docs/errors/${refusal.code}`, status: 400 });
          return;
        }
        this.sent.push({ accountSid: match[1]!, authorization: req.headers.authorization, form });
        this.counter += 1;
        json(201, {
          sid: `SM${this.counter.toString(16).padStart(32, '0')}`,
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

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
