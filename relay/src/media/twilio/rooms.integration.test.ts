import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { createTwilioClient, RebasedRequestClient } from './client.js';
import { FakeTwilioApi } from '../../testing/fakes/twilio-video.js';
import { NtsIceServers } from './nts.js';
import { roomNameForSession, TwilioRooms } from './rooms.js';
import { statusCallbackUrl } from './webhook.js';

const config = {
  accountSid: `AC${'c'.repeat(32)}`,
  apiKeySid: `SK${'d'.repeat(32)}`,
  apiKeySecret: 'secret-for-the-api-key',
};
const fastRetry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const sessionId = 'sess_0123456789';

let api: FakeTwilioApi;
let rooms: TwilioRooms;

function client() {
  return createTwilioClient(config, { httpClient: new RebasedRequestClient(api.url) });
}

beforeEach(async () => {
  api = new FakeTwilioApi(config.accountSid);
  await api.start();
  rooms = new TwilioRooms({
    client: client(),
    maxParticipants: 2,
    mediaRegion: 'gll',
    statusCallbackUrl: statusCallbackUrl('https://assist.example.com'),
    retry: fastRetry,
    logger: silentLogger,
  });
});

afterEach(async () => {
  await api.stop();
});

describe('TwilioRooms against a local Twilio stand-in', () => {
  it('creates a group room named after the session with a POST status callback', async () => {
    const room = await rooms.createRoom(sessionId);

    expect(room).toMatchObject({ uniqueName: roomNameForSession(sessionId), status: 'in-progress', created: true });
    expect(api.requests).toHaveLength(1);
    const req = api.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/v1/Rooms', twilioHost: 'video.twilio.com' });
    expect(req.contentType).toBe('application/x-www-form-urlencoded');
    expect(req.authorization).toBe(`Basic ${Buffer.from(`${config.apiKeySid}:${config.apiKeySecret}`).toString('base64')}`);
    expect(Object.fromEntries(req.form)).toEqual({
      Type: 'group',
      UniqueName: `live-assist-${sessionId}`,
      MaxParticipants: '2',
      MediaRegion: 'gll',
      RecordParticipantsOnConnect: 'false',
      StatusCallback: 'https://assist.example.com/api/media/twilio/status',
      StatusCallbackMethod: 'POST',
    });
  });

  it('leaves the status callback out when Twilio cannot reach the relay', async () => {
    const local = new TwilioRooms({ client: client(), maxParticipants: 3, mediaRegion: 'de1', statusCallbackUrl: null, retry: fastRetry });
    await local.createRoom(sessionId);
    expect(Object.fromEntries(api.requests[0]!.form)).toEqual({
      Type: 'group',
      UniqueName: `live-assist-${sessionId}`,
      MaxParticipants: '3',
      MediaRegion: 'de1',
      RecordParticipantsOnConnect: 'false',
    });
    expect(api.rooms.values().next().value).toMatchObject({ mediaRegion: 'de1', recordParticipantsOnConnect: false });
  });

  it('returns the in-progress room when it already exists (Twilio 53113)', async () => {
    const first = await rooms.createRoom(sessionId);
    const second = await rooms.createRoom(sessionId);

    expect(second).toMatchObject({ sid: first.sid, created: false });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/Rooms',
      'POST /v1/Rooms',
      `GET /v1/Rooms/live-assist-${sessionId}`,
    ]);
  });

  it('retries on 5xx and on a dropped connection, then succeeds', async () => {
    api.failNext({ status: 503 });
    api.failNext('drop');
    const room = await rooms.createRoom(sessionId);

    expect(room.created).toBe(true);
    expect(api.requests).toHaveLength(3);
    expect(api.rooms.size).toBe(1);
  });

  it('gives up after the bounded number of attempts', async () => {
    api.failNext({ status: 500 }, 5);
    await expect(rooms.createRoom(sessionId)).rejects.toMatchObject({ status: 500 });
    expect(api.requests).toHaveLength(fastRetry.attempts);
  });

  it('does not retry a 4xx answer', async () => {
    api.failNext({ status: 400, body: { code: 53107, message: 'MaxParticipants is out of range', status: 400 } });
    await expect(rooms.createRoom(sessionId)).rejects.toMatchObject({ status: 400, code: 53107 });
    expect(api.requests).toHaveLength(1);
  });

  it('completes the room by SID; a second completion finds nothing to end', async () => {
    const room = await rooms.createRoom(sessionId);

    expect(await rooms.completeRoom(room.sid)).toBe(true);
    const update = api.requests.at(-1)!;
    expect(update).toMatchObject({ method: 'POST', path: `/v1/Rooms/${room.sid}` });
    expect(Object.fromEntries(update.form)).toEqual({ Status: 'completed' });
    expect(api.rooms.get(room.sid)?.status).toBe('completed');

    // By name an ended room no longer resolves (404 / 20404): nothing to do, not an error.
    expect(await rooms.completeRoom(roomNameForSession(sessionId))).toBe(false);
  });

  it('counts a room Twilio already completed (400 / 53112) as done', async () => {
    const room = await rooms.createRoom(sessionId);
    // Ended meanwhile by its empty-room timeout, with no callback seen here.
    api.rooms.get(room.sid)!.status = 'completed';
    expect(await rooms.completeRoom(room.sid)).toBe(false);
    expect(api.requests.at(-1)).toMatchObject({ method: 'POST', path: `/v1/Rooms/${room.sid}` });
  });

  it('creates a fresh room for the same session once the previous one ended', async () => {
    const first = await rooms.createRoom(sessionId);
    await rooms.completeRoom(first.sid);
    const second = await rooms.createRoom(sessionId);
    expect(second.created).toBe(true);
    expect(second.sid).not.toBe(first.sid);
  });

  it('retries completion on 5xx', async () => {
    const room = await rooms.createRoom(sessionId);
    api.failNext({ status: 502 });
    expect(await rooms.completeRoom(room.sid)).toBe(true);
    expect(api.rooms.get(room.sid)?.status).toBe('completed');
  });
});

describe('NtsIceServers against a local Twilio stand-in', () => {
  it('fetches TURN credentials once and reuses them while they have enough life left', async () => {
    let now = 1_000_000;
    const nts = new NtsIceServers({ client: client(), ttlSeconds: 3600, minRemainingSeconds: 600, retry: fastRetry, now: () => now });

    const [first, concurrent] = await Promise.all([nts.getIceServers(), nts.getIceServers()]);
    expect(concurrent).toBe(first);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${config.accountSid}/Tokens.json`,
      twilioHost: 'api.twilio.com',
    });
    expect(Object.fromEntries(api.requests[0]!.form)).toEqual({ Ttl: '3600' });
    expect(first).toEqual([
      { urls: 'stun:global.stun.twilio.com:3478' },
      { urls: 'turn:global.turn.twilio.com:3478?transport=udp', username: 'nts-user-1', credential: 'nts-credential-1' },
      { urls: 'turns:global.turn.twilio.com:443?transport=tcp', username: 'nts-user-1', credential: 'nts-credential-1' },
    ]);

    now += (3600 - 601) * 1000;
    expect(await nts.getIceServers()).toBe(first);
    expect(api.requests).toHaveLength(1);

    now += 2000; // less than 10 minutes left: renew
    const renewed = await nts.getIceServers();
    expect(api.requests).toHaveLength(2);
    expect(renewed[1]).toMatchObject({ username: 'nts-user-2' });
  });

  it('retries a 5xx and reports a lasting failure to the caller', async () => {
    const nts = new NtsIceServers({ client: client(), retry: fastRetry });
    api.failNext({ status: 503 });
    expect(await nts.getIceServers()).toHaveLength(3);

    const failing = new NtsIceServers({ client: client(), retry: fastRetry });
    api.failNext({ status: 503 }, 3);
    await expect(failing.getIceServers()).rejects.toMatchObject({ status: 503 });
  });
});
