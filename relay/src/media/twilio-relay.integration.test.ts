import { decodeProtectedHeader, jwtVerify } from 'jose';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, TwilioTokenResponseSchema, type MediaConfig, type SessionView } from '@live-assist/protocol';
import { ConfigError, loadConfig } from '../config/index.js';
import type { SessionEventMap } from '../sessions/events.js';
import { joinedCustomer, startHarness, type Harness } from '../testing/harness.js';
import { TestSocket } from '../testing/ws-client.js';
import { RebasedRequestClient } from './twilio/client.js';
import { FakeTwilioApi } from '../testing/fakes/twilio-video.js';
import { TWILIO_STATUS_CALLBACK_PATH } from './twilio/webhook.js';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const API_KEY_SID = `SK${'b2'.repeat(16)}`;
const API_KEY_SECRET = 'relay-test-api-key-secret';
const AUTH_TOKEN = 'relay-test-auth-token';
const PUBLIC_BASE = 'https://assist.example.com';
const CALLBACK_URL = `${PUBLIC_BASE}${TWILIO_STATUS_CALLBACK_PATH}`;

const credentials = {
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_API_KEY_SID: API_KEY_SID,
  TWILIO_API_KEY_SECRET: API_KEY_SECRET,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_WEBHOOK_BASE_URL: PUBLIC_BASE,
};
const fastRetry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 };

type ErrorBody = { error: { code: string } };

function tokenRequest(h: Harness, bearer: string | null): Promise<Response> {
  return h.api('/api/media/twilio-token', {
    method: 'POST',
    headers: bearer === null ? {} : { Authorization: `Bearer ${bearer}` },
  });
}

function roomOf(api: FakeTwilioApi, sessionId: string) {
  return [...api.rooms.values()].find((r) => r.uniqueName === `live-assist-${sessionId}`);
}

/** The welcome a fresh socket gets (the harness's connect() consumes it). */
async function welcomeMediaFor(h: Harness, participantToken: string): Promise<MediaConfig> {
  const socket = await TestSocket.open(h.wsUrl(participantToken));
  socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  const welcome = await socket.next('welcome');
  socket.close();
  return welcome.media;
}

describe('relay in twilio mode (Twilio REST API stood in for on loopback)', () => {
  let api: FakeTwilioApi;
  let h: Harness;
  let agent: string;
  const events: Array<{ name: keyof SessionEventMap; event: unknown }> = [];

  beforeAll(async () => {
    api = new FakeTwilioApi(ACCOUNT_SID);
    await api.start();
    h = await startHarness(
      { ...credentials, INVITE_TTL_HOURS: '1' },
      { twilio: { httpClient: new RebasedRequestClient(api.url), retry: fastRetry } },
    );
    agent = await h.agentToken();
    for (const name of ['started', 'ended', 'media-participant', 'media-ended'] as const) {
      h.relay.sessionEvents.on(name, (event) => {
        events.push({ name, event });
      });
    }
  });
  afterAll(async () => {
    await h.close();
    await api.stop();
  });
  beforeEach(() => {
    events.length = 0;
  });

  /**
   * A session on a ticket with no other active session, so no background completion of a
   * replaced room is in flight while a test scripts Twilio's answers.
   */
  async function startSession(ticketId = 1): Promise<SessionView> {
    const previous = await h.api(`/api/tickets/${ticketId}/session`, { bearer: agent });
    if (previous.status === 200) {
      const old = (await previous.json()) as SessionView;
      if (old.status === 'active') {
        await h.api(`/api/sessions/${old.sessionId}/end`, { method: 'POST', bearer: agent });
        await vi.waitFor(() => expect(roomOf(api, old.sessionId)?.status).toBe('completed'));
      }
    }
    events.length = 0;
    const view = await h.createSession(agent, ticketId);
    await vi.waitFor(() => expect(roomOf(api, view.sessionId)).toBeDefined());
    return view;
  }

  function postCallback(params: Record<string, string>, signature: string | null, headers: Record<string, string> = {}) {
    return h.api(TWILIO_STATUS_CALLBACK_PATH, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(signature === null ? {} : { 'X-Twilio-Signature': signature }),
        ...headers,
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  function callback(sessionId: string, roomSid: string, event: string, extra: Record<string, string> = {}) {
    return {
      AccountSid: ACCOUNT_SID,
      RoomSid: roomSid,
      RoomName: `live-assist-${sessionId}`,
      RoomStatus: event === 'room-ended' ? 'completed' : 'in-progress',
      RoomType: 'group',
      StatusCallbackEvent: event,
      Timestamp: new Date().toISOString(),
      ...extra,
    };
  }

  const signed = (params: Record<string, string>) => twilio.getExpectedTwilioSignature(AUTH_TOKEN, CALLBACK_URL, params);

  async function customerStage(sessionId: string): Promise<string> {
    const res = await h.api(`/api/sessions/${sessionId}`, { bearer: agent });
    return ((await res.json()) as SessionView).customerStage;
  }

  it('creates a group room when the session starts, with the expected parameters', async () => {
    const view = await startSession();
    const create = api.requests.find(
      (r) => r.method === 'POST' && r.path === '/v1/Rooms' && r.form.get('UniqueName') === `live-assist-${view.sessionId}`,
    );
    expect(create).toBeDefined();
    expect(create!.twilioHost).toBe('video.twilio.com');
    // REST calls authenticate with the API key, never the auth token.
    expect(create!.authorization).toBe(`Basic ${Buffer.from(`${API_KEY_SID}:${API_KEY_SECRET}`).toString('base64')}`);
    expect(Object.fromEntries(create!.form)).toEqual({
      Type: 'group',
      UniqueName: `live-assist-${view.sessionId}`,
      MaxParticipants: '2',
      MediaRegion: 'gll',
      RecordParticipantsOnConnect: 'false',
      StatusCallback: CALLBACK_URL,
      StatusCallbackMethod: 'POST',
    });
    expect(events.find((e) => e.name === 'started')?.event).toMatchObject({ sessionId: view.sessionId, ticketId: 1 });
  });

  it('tells both sides to use the twilio room in the welcome frame', async () => {
    const view = await startSession();
    const customer = await joinedCustomer(h, view);
    const expected = { mode: 'twilio', roomName: `live-assist-${view.sessionId}` };
    expect(await welcomeMediaFor(h, customer.participantToken)).toEqual(expected);
    expect(await welcomeMediaFor(h, view.specialistToken!)).toEqual(expected);
  });

  it('mints a room-scoped access token for each participant of an active session', async () => {
    const view = await startSession();
    const customer = await joinedCustomer(h, view);
    const session = (await (await h.api(`/api/sessions/${view.sessionId}`, { bearer: agent })).json()) as SessionView;

    const res = await tokenRequest(h, customer.participantToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = TwilioTokenResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ roomName: `live-assist-${view.sessionId}`, identity: 'customer' });

    expect(decodeProtectedHeader(body.token)).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
    const { payload } = await jwtVerify(body.token, new TextEncoder().encode(API_KEY_SECRET), {
      issuer: API_KEY_SID,
      subject: ACCOUNT_SID,
    });
    expect(payload.grants).toEqual({ identity: 'customer', video: { room: `live-assist-${view.sessionId}` } });
    // The session has an hour left: the token ends with it, not later.
    const sessionEnd = Date.parse(session.expiresAt) / 1000;
    expect(payload.exp).toBeLessThanOrEqual(Math.ceil(sessionEnd));
    expect(payload.exp).toBeGreaterThan(sessionEnd - 5);
    expect(Date.parse(body.expiresAt)).toBe(payload.exp! * 1000);

    const forSpecialist = TwilioTokenResponseSchema.parse(await (await tokenRequest(h, view.specialistToken)).json());
    const specialist = await jwtVerify(forSpecialist.token, new TextEncoder().encode(API_KEY_SECRET));
    expect(specialist.payload.grants).toEqual({ identity: 'specialist', video: { room: `live-assist-${view.sessionId}` } });
    // Another agent watching joins the same room under an identity of its own.
    const thomas = await h.agentToken('44');
    const watch = (await (await h.api(`/api/sessions/${view.sessionId}/observe`, { method: 'POST', bearer: thomas })).json()) as {
      observerToken: string;
    };
    const forObserver = TwilioTokenResponseSchema.parse(await (await tokenRequest(h, watch.observerToken)).json());
    expect(forObserver.identity).toMatch(/^observer-[0-9a-f]{16}$/);
    const observer = await jwtVerify(forObserver.token, new TextEncoder().encode(API_KEY_SECRET));
    expect(observer.payload.grants).toEqual({ identity: forObserver.identity, video: { room: `live-assist-${view.sessionId}` } });
    // Both tokens open the room created on session start; no second room.
    expect([...api.rooms.values()].filter((r) => r.uniqueName === body.roomName)).toHaveLength(1);
  });

  it('mints no token without a valid participant token or once the session ended', async () => {
    const view = await startSession();
    const customer = await joinedCustomer(h, view);
    const before = api.requests.length;

    const missing = await tokenRequest(h, null);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('unauthorized');
    expect((await tokenRequest(h, 'x'.repeat(43))).status).toBe(401);
    // The agent's own token is not a participant token.
    expect((await tokenRequest(h, agent)).status).toBe(401);

    const end = await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    expect(end.status).toBe(200);
    const ended = await tokenRequest(h, customer.participantToken);
    expect(ended.status).toBe(410);
    expect(((await ended.json()) as ErrorBody).error.code).toBe('session-ended');
    expect((await tokenRequest(h, view.specialistToken)).status).toBe(410);
    // Refusals never reach Twilio (only the room completion of the ended session does).
    expect(api.requests.slice(before).every((r) => r.form.get('Status') === 'completed')).toBe(true);
  });

  it('completes the room when the session ends, without holding up the request', async () => {
    const view = await startSession();
    const room = roomOf(api, view.sessionId)!;
    expect(room.status).toBe('in-progress');
    const res = await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(room.status).toBe('completed'));
    const update = api.requests.find((r) => r.path === `/v1/Rooms/${room.sid}` && r.method === 'POST');
    expect(update?.form.get('Status')).toBe('completed');
    expect(events.find((e) => e.name === 'ended')?.event).toMatchObject({ sessionId: view.sessionId, reason: 'ended-by-specialist' });
  });

  it('a new session for the ticket completes the replaced session’s room', async () => {
    const first = await startSession(2);
    const second = await h.createSession(agent, 2);
    await vi.waitFor(() => expect(roomOf(api, second.sessionId)).toBeDefined());
    await vi.waitFor(() => expect(roomOf(api, first.sessionId)?.status).toBe('completed'));
    expect(roomOf(api, second.sessionId)?.status).toBe('in-progress');
    expect(events.find((e) => e.name === 'ended')?.event).toMatchObject({ sessionId: first.sessionId, reason: 'replaced' });
  });

  it('retries room creation when Twilio answers 5xx or drops the connection', async () => {
    const before = api.requests.length;
    api.failNext({ status: 503 });
    api.failNext('drop');
    const view = await startSession();
    const creates = api.requests.slice(before).filter((r) => r.path === '/v1/Rooms');
    expect(creates).toHaveLength(3);
    expect(roomOf(api, view.sessionId)?.status).toBe('in-progress');
  });

  it('answers 503 when Twilio stays unavailable while minting, and works again afterwards', async () => {
    const view = await startSession();
    const customer = await joinedCustomer(h, view);
    api.failNext({ status: 500 }, fastRetry.attempts);
    const res = await tokenRequest(h, customer.participantToken);
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.code).toBe('twilio-unavailable');
    expect((await tokenRequest(h, customer.participantToken)).status).toBe(200);
  });

  it('a signed participant-connected callback moves the customer to in-call', async () => {
    const view = await startSession();
    const room = roomOf(api, view.sessionId)!;
    const specialist = await h.connect(view.specialistToken!);
    expect(await customerStage(view.sessionId)).not.toBe('in-call');

    const params = callback(view.sessionId, room.sid, 'participant-connected', {
      ParticipantSid: `PA${'1'.repeat(32)}`,
      ParticipantIdentity: 'customer',
      ParticipantStatus: 'connected',
      SequenceNumber: '1',
    });
    const res = await postCallback(params, signed(params));
    expect(res.status).toBe(204);
    expect(await customerStage(view.sessionId)).toBe('in-call');
    const frame = await specialist.next('participant');
    expect(frame.participant).toMatchObject({ role: 'customer', stage: 'in-call' });
    expect(events.find((e) => e.name === 'media-participant')?.event).toMatchObject({
      sessionId: view.sessionId,
      role: 'customer',
      connected: true,
    });
    specialist.close();
  });

  it('refuses a wrong or missing signature with 403 and changes nothing', async () => {
    const view = await startSession();
    const room = roomOf(api, view.sessionId)!;
    const params = callback(view.sessionId, room.sid, 'participant-connected', {
      ParticipantSid: `PA${'2'.repeat(32)}`,
      ParticipantIdentity: 'customer',
      SequenceNumber: '1',
    });
    const forged = twilio.getExpectedTwilioSignature('not-the-auth-token', CALLBACK_URL, params);
    expect((await postCallback(params, forged)).status).toBe(403);
    expect((await postCallback(params, null)).status).toBe(403);
    expect((await postCallback({ ...params, ParticipantIdentity: 'specialist' }, signed(params))).status).toBe(403);
    expect(await customerStage(view.sessionId)).not.toBe('in-call');
    expect(events.filter((e) => e.name.startsWith('media'))).toEqual([]);
  });

  it('behind a proxy, checks the signature against the configured public URL, not X-Forwarded-*', async () => {
    const view = await startSession();
    const room = roomOf(api, view.sessionId)!;
    const params = callback(view.sessionId, room.sid, 'participant-connected', {
      ParticipantSid: `PA${'3'.repeat(32)}`,
      ParticipantIdentity: 'customer',
      SequenceNumber: '1',
    });
    const proxied = { 'X-Forwarded-Proto': 'http', 'X-Forwarded-Host': 'internal.example.org' };
    const forForwarded = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `http://internal.example.org${TWILIO_STATUS_CALLBACK_PATH}`, params);
    expect((await postCallback(params, forForwarded, proxied)).status).toBe(403);
    const forLoopback = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${h.relay.url}${TWILIO_STATUS_CALLBACK_PATH}`, params);
    expect((await postCallback(params, forLoopback)).status).toBe(403);
    expect(await customerStage(view.sessionId)).not.toBe('in-call');

    expect((await postCallback(params, signed(params), proxied)).status).toBe(204);
    expect(await customerStage(view.sessionId)).toBe('in-call');
  });

  it('orders callbacks: stale ones, a replaced participant and an older room are ignored', async () => {
    const view = await startSession();
    const room = roomOf(api, view.sessionId)!;
    const send = async (params: Record<string, string>) => expect((await postCallback(params, signed(params))).status).toBe(204);
    const first = `PA${'4'.repeat(32)}`;
    const second = `PA${'5'.repeat(32)}`;

    // The customer reloads: the new participant connects before the old one's disconnect arrives.
    await send(
      callback(view.sessionId, room.sid, 'participant-connected', {
        ParticipantSid: first,
        ParticipantIdentity: 'customer',
        SequenceNumber: '1',
      }),
    );
    await send(
      callback(view.sessionId, room.sid, 'participant-connected', {
        ParticipantSid: second,
        ParticipantIdentity: 'customer',
        SequenceNumber: '3',
      }),
    );
    await send(
      callback(view.sessionId, room.sid, 'participant-disconnected', {
        ParticipantSid: first,
        ParticipantIdentity: 'customer',
        SequenceNumber: '4',
      }),
    );
    // A late duplicate of an earlier callback.
    await send(
      callback(view.sessionId, room.sid, 'participant-disconnected', {
        ParticipantSid: second,
        ParticipantIdentity: 'customer',
        SequenceNumber: '2',
      }),
    );
    // room-ended of some other (older) room of this session.
    await send(callback(view.sessionId, `RM${'9'.repeat(32)}`, 'room-ended', { RoomDuration: '30' }));

    const media = events.filter((e) => e.name.startsWith('media')).map((e) => e.event);
    expect(media).toEqual([
      expect.objectContaining({ role: 'customer', connected: true }),
      expect.objectContaining({ role: 'customer', connected: true }),
    ]);

    await send(
      callback(view.sessionId, room.sid, 'participant-disconnected', {
        ParticipantSid: second,
        ParticipantIdentity: 'customer',
        SequenceNumber: '5',
        ParticipantDuration: '42',
      }),
    );
    await send(callback(view.sessionId, room.sid, 'room-ended', { SequenceNumber: '6', RoomDuration: '60' }));
    expect(
      events
        .filter((e) => e.name.startsWith('media'))
        .slice(2)
        .map((e) => e.event),
    ).toEqual([
      expect.objectContaining({ role: 'customer', connected: false, durationSeconds: 42 }),
      expect.objectContaining({ sessionId: view.sessionId, durationSeconds: 60 }),
    ]);
  });

  it('counts a callback once per (RoomSid, SequenceNumber), and a late one about the other participant still counts', async () => {
    const view = await startSession();
    const room = roomOf(api, view.sessionId)!;
    const send = async (params: Record<string, string>) => expect((await postCallback(params, signed(params))).status).toBe(204);
    const customer = { ParticipantSid: `PA${'a'.repeat(32)}`, ParticipantIdentity: 'customer' };
    const specialist = { ParticipantSid: `PA${'b'.repeat(32)}`, ParticipantIdentity: 'specialist' };

    // The specialist's event (3) is delivered before the customer's earlier one (2).
    await send(callback(view.sessionId, room.sid, 'participant-connected', { ...specialist, SequenceNumber: '3' }));
    await send(callback(view.sessionId, room.sid, 'participant-connected', { ...customer, SequenceNumber: '2' }));
    expect(await customerStage(view.sessionId)).toBe('in-call');
    // Twilio retries a delivery: the same pair again changes nothing.
    await send(callback(view.sessionId, room.sid, 'participant-connected', { ...customer, SequenceNumber: '2' }));

    const media = events.filter((e) => e.name === 'media-participant').map((e) => e.event);
    expect(media).toEqual([
      expect.objectContaining({ role: 'specialist', connected: true }),
      expect.objectContaining({ role: 'customer', connected: true }),
    ]);
  });

  it('acknowledges callbacks for rooms that are not ours without acting on them', async () => {
    const params = callback('notoursxyz', `RM${'8'.repeat(32)}`, 'participant-connected', {
      RoomName: 'someone-elses-room',
      ParticipantSid: `PA${'6'.repeat(32)}`,
      ParticipantIdentity: 'customer',
    });
    expect((await postCallback(params, signed(params))).status).toBe(204);
    expect(events).toEqual([]);
  });
});

describe('relay in p2p mode with Twilio credentials', () => {
  let api: FakeTwilioApi;
  let h: Harness;
  const fallback = [{ urls: 'stun:stun.fallback.example:3478' }];

  beforeEach(async () => {
    api = new FakeTwilioApi(ACCOUNT_SID);
    await api.start();
  });
  afterEach(async () => {
    await h.close();
    await api.stop();
  });

  async function specialistWelcome(): Promise<{ media: MediaConfig; view: SessionView }> {
    const view = await h.createSession(await h.agentToken());
    return { media: await welcomeMediaFor(h, view.specialistToken), view };
  }

  it('hands out TURN servers from Twilio NTS, creates no rooms and mints no Twilio tokens', async () => {
    h = await startHarness(
      { ...credentials, MEDIA_MODE: 'p2p', ICE_SERVERS_JSON: JSON.stringify(fallback) },
      { twilio: { httpClient: new RebasedRequestClient(api.url), retry: fastRetry } },
    );
    await vi.waitFor(() => expect(api.requests.some((r) => r.path.endsWith('/Tokens.json'))).toBe(true));
    const { media, view } = await specialistWelcome();
    if (media.mode !== 'p2p') throw new Error('expected p2p media');
    expect(media.iceServers.map((s) => s.urls)).toContain('turns:global.turn.twilio.com:443?transport=tcp');
    expect(media.iceServers.find((s) => String(s.urls).startsWith('turn:'))?.username).toMatch(/^nts-user-/);
    expect(api.requests.filter((r) => r.path === '/v1/Rooms')).toEqual([]);

    const res = await tokenRequest(h, view.specialistToken);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe('not-twilio');
  });

  it('gives each session TURN credentials of its own, living as long as the session and at most 4 h', async () => {
    h = await startHarness(
      { ...credentials, MEDIA_MODE: 'p2p', ICE_SERVERS_JSON: JSON.stringify(fallback) },
      { twilio: { httpClient: new RebasedRequestClient(api.url), retry: fastRetry } },
    );
    const ntsRequests = () => api.requests.filter((r) => r.path.endsWith('/Tokens.json'));
    // The shared fallback set (24 h) is fetched at startup.
    await vi.waitFor(() => expect(ntsRequests()).toHaveLength(1));
    const turnUser = (media: MediaConfig) =>
      media.mode === 'p2p' ? media.iceServers.find((s) => String(s.urls).startsWith('turn:'))?.username : undefined;

    const first = await h.createSession(await h.agentToken(), 1);
    await vi.waitFor(() => expect(ntsRequests()).toHaveLength(2));
    const second = await h.createSession(await h.agentToken(), 2);
    await vi.waitFor(() => expect(ntsRequests()).toHaveLength(3));
    for (const request of ntsRequests().slice(1)) {
      const ttl = Number(request.form.get('Ttl'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(4 * 60 * 60);
    }
    await vi.waitFor(async () => expect(turnUser(await welcomeMediaFor(h, first.specialistToken))).toBe('nts-user-2'));
    expect(turnUser(await welcomeMediaFor(h, second.specialistToken))).toBe('nts-user-3');
  });

  it('falls back to the configured ICE servers when NTS fails', async () => {
    api.failNext({ status: 500 }, 20);
    h = await startHarness(
      { ...credentials, MEDIA_MODE: 'p2p', ICE_SERVERS_JSON: JSON.stringify(fallback) },
      { twilio: { httpClient: new RebasedRequestClient(api.url), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } },
    );
    const { media } = await specialistWelcome();
    expect(media).toEqual({ mode: 'p2p', iceServers: fallback });
  });
});

describe('Twilio configuration', () => {
  it('defaults to twilio with credentials and p2p without; half-set credentials stop startup', () => {
    expect(loadConfig({ ...credentials }).mediaMode).toBe('twilio');
    expect(loadConfig({}).mediaMode).toBe('p2p');
    expect(loadConfig({}).twilio).toBeNull();
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_KEY_SID: API_KEY_SID })).toThrow(ConfigError);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_KEY_SID: API_KEY_SID })).toThrow(
      /TWILIO_API_KEY_SECRET, TWILIO_AUTH_TOKEN missing/,
    );
    expect(() => loadConfig({ MEDIA_MODE: 'twilio' })).toThrow(/needs Twilio credentials/);
  });
});
