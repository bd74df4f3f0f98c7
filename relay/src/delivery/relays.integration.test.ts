import { afterEach, describe, expect, it } from 'vitest';
import type { SmsStatusView } from '@live-assist/protocol';
import { Engine } from '../db/database.js';
import { RebasedRequestClient } from '../media/twilio/client.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { FakeTwilioMessages } from '../testing/fakes/twilio-messages.js';
import { FakeTwilioApi } from '../testing/fakes/twilio-video.js';
import { SHARED_RELAY_SECRET, startPeerRelay, type PeerRelay } from '../testing/peer-relay.js';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'auth-token-value';
const ENV = {
  RELAY_SECRET: SHARED_RELAY_SECRET,
  TWILIO_ACCOUNT_SID: ACCOUNT,
  TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'key-secret-value',
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  MEDIA_MODE: 'p2p',
  TWILIO_SMS_FROM: '+4915100000000',
  TWILIO_WEBHOOK_BASE_URL: 'https://assist.example.com',
};

let a: EngineHarness | undefined;
let b: PeerRelay | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await b?.close();
  await a?.close();
  a = b = undefined;
  for (const stop of stops.splice(0)) await stop();
});

/** Two relays on one PostgreSQL behind a balancer, texting through one Twilio stand-in. */
async function twoRelays(): Promise<{ a: EngineHarness; b: PeerRelay; twilio: FakeTwilioMessages }> {
  const twilio = new FakeTwilioMessages({ authToken: AUTH_TOKEN });
  const video = new FakeTwilioApi(ACCOUNT);
  await Promise.all([twilio.start(), video.start()]);
  stops.push(
    () => twilio.stop(),
    () => video.stop(),
  );
  // Fresh clients per relay: each keeps its own connection state.
  const opts = () => ({ smsHttpClient: new RebasedRequestClient(twilio.url), twilio: { httpClient: new RebasedRequestClient(video.url) } });
  a = await startHarnessOn(Engine.postgres, ENV, opts());
  b = await startPeerRelay(a, ENV, opts());
  return { a, b, twilio };
}

describe('SMS invites with two relays behind one balancer', () => {
  it("Twilio's status callback reaching the other relay is what the sidebar shows, on either relay", async () => {
    const { a, b, twilio } = await twoRelays();
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent, 1);
    const sent = await a.h.api(`/api/sessions/${view.sessionId}/invite/sms`, {
      method: 'POST',
      bearer: agent,
      json: { phoneNumber: '+44 7700 900123' },
    });
    expect(sent.status).toBe(201);
    const sid = twilio.sent.at(-1)!.sid;
    const statusOn = async (relayUrl: string) => {
      const res = await fetch(`${relayUrl}/api/sessions/${view.sessionId}/invite/sms`, { headers: { Authorization: `Bearer ${agent}` } });
      return ((await res.json()) as SmsStatusView).sms;
    };
    expect(await statusOn(b.url)).toMatchObject({ state: 'sent', to: '+44 ••• ••• 123' });

    twilio.callbackTarget = b.url;
    expect(await twilio.reportStatus(sid, 'delivered')).toBe(204);
    // A late `sent` retried to the first relay does not take it back.
    twilio.callbackTarget = a.h.relay.url;
    expect(await twilio.reportStatus(sid, 'sent')).toBe(204);
    for (const relay of [a.h.relay.url, b.url]) expect(await statusOn(relay)).toMatchObject({ state: 'delivered', errorCode: null });
  });

  it('the per-session limit of five texts holds whichever relay the agent reaches', async () => {
    const { a, b, twilio } = await twoRelays();
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${i % 2 ? b.url : a.h.relay.url}/api/sessions/${view.sessionId}/invite/sms`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${agent}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ phoneNumber: '+44 7700 900123' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(twilio.sent).toHaveLength(5);
  });
});
