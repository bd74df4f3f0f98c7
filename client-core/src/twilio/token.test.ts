import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwilioCallError } from './errors.js';
import { relayTwilioToken, TWILIO_TOKEN_PATH } from './token.js';

// A loopback HTTP server answering like the relay's token endpoint.
let server: Server;
let base: string;
let answer: { status: number; body: string } = { status: 200, body: '{}' };
const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const grant = { token: 'jwt', roomName: 'live-assist-abcdefgh', identity: 'customer', expiresAt: '2026-11-25T13:00:00.000Z' };

async function failure(getToken: () => Promise<unknown>): Promise<TwilioCallError> {
  try {
    await getToken();
  } catch (err) {
    return err as TwilioCallError;
  }
  throw new Error('expected the token request to fail');
}

describe('relayTwilioToken', () => {
  it('posts the participant token as a bearer and returns the validated grant', async () => {
    answer = { status: 200, body: JSON.stringify(grant) };
    const token = await relayTwilioToken({ relayUrl: base, participantToken: 'p-token' })();
    expect(token).toEqual({ token: 'jwt', roomName: 'live-assist-abcdefgh' });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: TWILIO_TOKEN_PATH, authorization: 'Bearer p-token' });
  });

  it('turns refusals and bad answers into translatable keys', async () => {
    const getToken = relayTwilioToken({ relayUrl: base, participantToken: 'p-token' });
    answer = { status: 410, body: '{"error":{"code":"session-ended","message":"ended"}}' };
    expect((await failure(getToken)).key).toBe('twilio.room-completed');
    answer = { status: 401, body: '{}' };
    expect((await failure(getToken)).key).toBe('twilio.token-invalid');
    answer = { status: 503, body: '{}' };
    expect((await failure(getToken)).key).toBe('twilio.generic');
    answer = { status: 200, body: '{"token":""}' };
    expect((await failure(getToken)).key).toBe('twilio.generic');
    const unreachable = relayTwilioToken({ relayUrl: 'http://127.0.0.1:1', participantToken: 'p' });
    const lost = await failure(unreachable);
    expect([lost.key, lost.code]).toEqual(['twilio.signaling', null]);
  });
});
