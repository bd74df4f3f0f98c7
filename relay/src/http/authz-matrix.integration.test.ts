import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientToRelaySchema, PROTOCOL_VERSION, type ClientToRelay, type ErrorCode } from '@live-assist/protocol';
import { RebasedRequestClient } from '../media/twilio/client.js';
import {
  CREDENTIALS,
  INVITE_TTL_HOURS,
  startAuthzFixture,
  type AuthzFixture,
  type Credential,
  type CredentialKind,
  type World,
} from '../testing/authz-world.js';
import { FakeTwilioMessages } from '../testing/fakes/twilio-messages.js';
import { FakeTwilioApi } from '../testing/fakes/twilio-video.js';
import { startHarness, type FakeHarness } from '../testing/harness.js';
import { mountedRoutes } from '../testing/mounted-routes.js';
import type { TestSocket } from '../testing/ws-client.js';
import { WebSocket } from 'ws';

/**
 * Who may do what, as one table: every route the relay mounts and every frame a client may send on
 * the WebSocket, against every kind of credential. The test fails when the relay mounts a route, or
 * the protocol has a client frame, without a row here.
 *
 * HTTP cells are the status (101: the socket opened and said hello). Frame cells are what the
 * sender hears before the answer to its next ping: `ok`, or the error frame's code; a credential
 * that cannot open a socket has the upgrade's status there. Each cell runs against a fresh session
 * (its customer joined, the colleague watching, all three connected for frames), so no cell sees
 * another's effects.
 */

type FrameType = ClientToRelay['type'];
type Outcome = number | 'ok' | ErrorCode;
type Cells = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
interface RouteRow {
  method: string;
  path: string;
  cells: Cells;
}
interface FrameRow {
  frame: FrameType;
  cells: Cells;
}

const route = (method: string, path: string, cells: Cells): RouteRow => ({ method, path, cells });
const frame = (type: FrameType, cells: Cells): FrameRow => ({ frame: type, cells });
const OK = 'ok';
const NO = 'forbidden';
const BAD = 'bad-frame';

/**
 * Columns (testing/authz-world.ts): `none`: no credential; `cust`, `spec`, `obsv`: the session's
 * customer, specialist and observer tokens; `agnt`: the agent holding the seat; `coll`: a colleague
 * of the same account; `othr`: an agent of another helpdesk account; `xlog`: the agent's expired
 * login; `xlnk`: the customer of a link past its expiry; `ends`: the specialist of an ended session.
 * Invite-link routes name the holder's link; `none` names a guessed one.
 */
// prettier-ignore
const TABLE: readonly (RouteRow | FrameRow)[] = [
  //                                                             none cust spec obsv agnt coll othr xlog xlnk ends
  route('GET',  '/healthz',                                     [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  route('GET',  '/readyz',                                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  // No METRICS_TOKEN here: loopback callers are answered whatever they carry.
  route('GET',  '/metrics',                                     [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  route('USE',  '/app/assets',                                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  // The console's OCR engine files: public, like the app's own scripts (nothing in them is anyone's).
  route('GET',  '/ocr/:name',                                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  route('GET',  '/app/:location',                               [401, 401, 401, 401, 401, 401, 401, 401, 401, 401]),
  route('POST', '/app/:location',                               [401, 401, 401, 401, 401, 401, 401, 401, 401, 401]),
  // The app sign-in takes the app installation's secret (Freshdesk; sessions/app-sign-in.integration.test.ts
  // has its answers to that); no token of this table is one, and this relay's Zendesk signs its loads.
  route('POST', '/api/app/agent-session',                       [401, 401, 401, 401, 401, 401, 401, 401, 401, 401]),
  // The agent endpoints with the agent token in the body (sessions/app-actions.ts): each answers as its endpoint.
  route('POST', '/api/app/actions/session',                     [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('POST', '/api/app/actions/start',                       [401, 401, 401, 401, 201, 409, 404, 401, 401, 401]),
  route('POST', '/api/app/actions/invite',                      [401, 401, 401, 401, 201, 201, 404, 401, 401, 401]),
  route('POST', '/api/app/actions/end',                         [401, 401, 401, 401, 200, 409, 404, 401, 401, 401]),
  route('POST', '/api/app/actions/note',                        [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('USE',  '/customer/assets',                             [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  route('GET',  '/join/:inviteToken',                           [404, 200, 200, 200, 200, 200, 200, 200, 410, 410]),
  route('USE',  '/api',                                         [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
  route('POST', '/api/sessions',                                [401, 401, 401, 401, 201, 409, 404, 401, 401, 401]),
  route('GET',  '/api/tickets/:ticketId/session',               [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('GET',  '/api/sessions/:sessionId',                     [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('POST', '/api/sessions/:sessionId/takeover',            [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('POST', '/api/sessions/:sessionId/observe',             [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('POST', '/api/sessions/:sessionId/end',                 [401, 401, 401, 401, 200, 409, 404, 401, 401, 401]),
  route('GET',  '/api/invites/:inviteToken',                    [404, 200, 200, 200, 200, 200, 200, 200, 410, 410]),
  route('POST', '/api/invites/:inviteToken/join',               [404, 200, 200, 200, 200, 200, 200, 200, 410, 410]),
  route('POST', '/api/invites/:inviteToken/end',                [401, 204, 401, 401, 401, 401, 401, 401, 204, 204]),
  route('POST', '/api/sessions/:sessionId/uploads',             [401, 201, 201, 401, 401, 401, 401, 401, 401, 401]),
  route('POST', '/api/sessions/:sessionId/uploads/:id/download',[401, 403, 200, 401, 401, 401, 401, 401, 401, 401]),
  route('GET',  '/api/uploads/:id/:variant',                    [403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
  route('POST', '/api/media/twilio-token',                      [401, 200, 200, 200, 401, 401, 401, 401, 401, 410]),
  route('POST', '/api/media/twilio/status',                     [403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
  route('GET',  '/api/sessions/:sessionId/note',                [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('POST', '/api/delivery/twilio/sms-status',              [403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
  route('GET',  '/api/invite-delivery',                         [401, 401, 401, 401, 200, 200, 200, 401, 401, 401]),
  route('POST', '/api/sessions/:sessionId/invite/requester',    [401, 401, 401, 401, 201, 201, 404, 401, 401, 401]),
  route('GET',  '/api/sessions/:sessionId/invite/reply',        [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('POST', '/api/sessions/:sessionId/invite/sms',          [401, 401, 401, 401, 201, 201, 404, 401, 401, 401]),
  route('GET',  '/api/sessions/:sessionId/invite/sms',          [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('GET',  '/ws',                                          [401, 101, 101, 101, 401, 401, 401, 401, 401, 401]),
  // The agent's live feed of a session (agent-live/): its token from the action below, for whoever may read the session's view.
  route('POST', '/api/app/actions/live',                        [401, 401, 401, 401, 200, 200, 404, 401, 401, 401]),
  route('GET',  '/ws/agent',                                    [401, 401, 401, 401, 101, 101, 401, 401, 401, 401]),
  // The console in a tab of its own (sessions/console-tab.ts): the link is the seat holder's; the page
  // carries nothing; the trade wants the link's one-time code, which no credential of this table is.
  route('POST', '/api/app/actions/console',                     [401, 401, 401, 401, 200, 409, 404, 401, 401, 401]),
  route('GET',  '/app/console',                                 [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  route('POST', '/api/app/console-tab',                         [400, 401, 401, 401, 401, 401, 401, 401, 401, 401]),
  //                                                             none cust spec obsv agnt coll othr xlog xlnk ends
  frame('hello',                                                [401, BAD, BAD,  NO, 401, 401, 401, 401, 401, 401]),
  frame('signal',                                               [401,  OK,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('offer-ahead',                                          [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('media-state',                                          [401,  OK,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('stage',                                                [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('ping',                                                 [401,  OK,  OK,  OK, 401, 401, 401, 401, 401, 401]),
  frame('chat-send',                                            [401,  OK,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('chat-sync',                                            [401,  OK,  OK,  OK, 401, 401, 401, 401, 401, 401]),
  frame('annotation-start',                                     [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('annotation-extend',                                    [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('annotation-finish',                                    [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('annotation-undo',                                      [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('annotation-clear',                                     [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('pointer',                                              [401,  OK,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('freeze',                                               [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('unfreeze',                                             [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('still-request',                                        [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('still-progress',                                       [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('still-ready',                                          [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('still-failed',                                         [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('snapshot-taken',                                       [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('annotation-sync',                                      [401,  OK,  OK,  OK, 401, 401, 401, 401, 401, 401]),
  frame('mark-anchor',                                          [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('location',                                             [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('watch-request',                                        [401,  NO,  NO,  OK, 401, 401, 401, 401, 401, 401]),
  frame('watch-signal',                                         [401,  NO,  OK,  OK, 401, 401, 401, 401, 401, 401]),
  frame('camera-state',                                         [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('camera-request',                                       [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('camera-applied',                                       [401,  OK,  NO,  NO, 401, 401, 401, 401, 401, 401]),
  frame('camera-sync',                                          [401,  OK,  OK,  OK, 401, 401, 401, 401, 401, 401]),
  frame('link-quality',                                         [401,  OK,  OK,  NO, 401, 401, 401, 401, 401, 401]),
  frame('nameplate-confirm',                                    [401,  NO,  OK,  NO, 401, 401, 401, 401, 401, 401]),
];

const ROUTES = TABLE.filter((row): row is RouteRow => 'path' in row);
const FRAMES = TABLE.filter((row): row is FrameRow => 'frame' in row);
/** The WebSocket upgrade is handled beside express, so the app does not list it. */
const BESIDE_EXPRESS = new Set(['GET /ws', 'GET /ws/agent']);
const SOCKET_HOLDERS = ['customer', 'specialist', 'observer'] as const;
type SocketHolder = (typeof SOCKET_HOLDERS)[number];
const holdsSocket = (kind: CredentialKind): kind is SocketHolder => (SOCKET_HOLDERS as readonly string[]).includes(kind);

// ---------- how a row's request is made ----------

/** What a route's path parameters are filled with. */
const PARAMS: Record<string, (c: Credential, uploadId: string) => string> = {
  sessionId: (c) => c.sessionId,
  inviteToken: (c) => c.inviteToken,
  ticketId: () => '1',
  location: () => 'ticket_sidebar',
  id: (_c, uploadId) => uploadId,
  variant: () => 'preview',
  name: () => 'worker.min.js',
};

type CellRequest = RequestInit & { bearer?: string; json?: unknown };

/** A request that reaches the row's handler when the credential is good enough: a valid body where there is one. */
async function requestFor(row: RouteRow, c: Credential, w: World, png: Buffer): Promise<{ path: string; init: CellRequest }> {
  const uploadId = row.path.includes(':id') ? await w.uploadId() : '';
  const path = row.path.replace(/:(\w+)/g, (_, name: string) => {
    const fill = PARAMS[name];
    if (!fill) throw new Error(`no value for :${name} in ${row.path}: add it to PARAMS`);
    return fill(c, uploadId);
  });
  const init: CellRequest = { method: row.method, ...(c.token === null ? {} : { bearer: c.token }) };
  const form = (fields: Record<string, string>): CellRequest => ({ ...init, body: new URLSearchParams(fields) });
  switch (`${row.method} ${row.path}`) {
    case 'USE /app/assets':
      return { path: '/app/assets/app.js', init: { ...init, method: 'GET' } };
    case 'USE /customer/assets':
      return { path: '/customer/assets/customer.js', init: { ...init, method: 'GET' } };
    case 'USE /api':
      return { path: '/api/no-such-endpoint', init: { ...init, method: 'GET' } };
    case 'POST /app/:location':
      return { path, init: form({ token: c.token ?? '' }) };
    case 'POST /api/sessions':
      return { path, init: { ...init, json: { ticketId: 1 } } };
    case 'POST /api/app/agent-session':
      return { path, init: { ...init, json: { agentId: '42', agentEmail: 'ada@example.com', ticketId: 1 } } };
    case 'POST /api/app/actions/session':
    case 'POST /api/app/actions/start':
      return { path, init: { method: 'POST', json: { agentToken: c.token ?? '', ticketId: 1 } } };
    case 'POST /api/app/console-tab':
      return { path, init: { method: 'POST', json: { code: c.token ?? '' } } };
    case 'POST /api/app/actions/live':
    case 'POST /api/app/actions/console':
    case 'POST /api/app/actions/invite':
    case 'POST /api/app/actions/end':
    case 'POST /api/app/actions/note':
      return { path, init: { method: 'POST', json: { agentToken: c.token ?? '', sessionId: c.sessionId } } };
    case 'POST /api/invites/:inviteToken/join':
      return {
        path,
        init: {
          ...init,
          json: { acceptedPolicy: true, policyVersion: '2024-01', locale: 'en', consentText: 'I accept the privacy policy' },
        },
      };
    case 'POST /api/sessions/:sessionId/uploads':
      return { path: `${path}?purpose=photo`, init: { ...init, headers: { 'Content-Type': 'image/png' }, body: png as BodyInit } };
    case 'POST /api/sessions/:sessionId/invite/sms':
      return { path, init: { ...init, json: { phoneNumber: '+49 151 2345 6789' } } };
    case 'POST /api/media/twilio/status':
      return { path, init: form({ RoomSid: `RM${'0'.repeat(32)}`, StatusCallbackEvent: 'room-ended' }) };
    case 'POST /api/delivery/twilio/sms-status':
      return { path, init: form({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' }) };
    default:
      return { path, init };
  }
}

// ---------- how a frame row is sent ----------

interface FrameContext {
  sockets: Record<SocketHolder, TestSocket>;
  /** The observer as the specialist knows it (`observers` frame). */
  observerId: string;
  /** An upload the frame names (still-ready, snapshot-taken, nameplate-confirm). */
  uploadId: string;
}

/** A valid frame of each type; the table's frame rows are checked against the protocol's list. */
const SAMPLES: { [T in FrameType]: (c: FrameContext) => { type: T } & Record<string, unknown> } = {
  hello: () => ({ type: 'hello', protocolVersion: PROTOCOL_VERSION }),
  signal: () => ({ type: 'signal', signal: { kind: 'ice', candidate: { candidate: '' } } }),
  'offer-ahead': () => ({ type: 'offer-ahead', id: 'offer-1', sdp: 'v=0' }),
  'media-state': () => ({ type: 'media-state', media: { camera: true, microphone: true } }),
  stage: () => ({ type: 'stage', stage: 'permissions' }),
  ping: () => ({ type: 'ping', t: 1 }),
  'chat-send': () => ({ type: 'chat-send', clientId: 'client-message-1', text: 'Hello' }),
  'chat-sync': () => ({ type: 'chat-sync', afterSeq: 0 }),
  'annotation-start': () => ({
    type: 'annotation-start',
    id: 'mark-2',
    tool: 'freehand',
    color: '#ff1f1f',
    width: 3,
    points: [[0.1, 0.2]],
  }),
  'annotation-extend': () => ({ type: 'annotation-extend', id: 'mark-1', points: [[0.3, 0.4]] }),
  'annotation-finish': () => ({ type: 'annotation-finish', id: 'mark-1' }),
  'annotation-undo': () => ({ type: 'annotation-undo' }),
  'annotation-clear': () => ({ type: 'annotation-clear' }),
  pointer: () => ({ type: 'pointer', point: [0.5, 0.5] }),
  freeze: () => ({ type: 'freeze' }),
  unfreeze: () => ({ type: 'unfreeze' }),
  'still-request': () => ({ type: 'still-request', requestId: 'still-1' }),
  'still-progress': () => ({ type: 'still-progress', requestId: 'still-1', progress: 0.5 }),
  'still-ready': (c) => ({ type: 'still-ready', requestId: 'still-1', uploadId: c.uploadId }),
  'still-failed': () => ({ type: 'still-failed', requestId: 'still-1', reason: 'the camera stopped' }),
  'snapshot-taken': (c) => ({ type: 'snapshot-taken', uploadId: c.uploadId }),
  'annotation-sync': () => ({ type: 'annotation-sync' }),
  'mark-anchor': () => ({
    type: 'mark-anchor',
    markId: 'mark-3',
    frameTime: 1,
    transform: { a: 1, b: 0, tx: 0.1, ty: 0 },
    state: 'tracking',
  }),
  location: () => ({ type: 'location', location: { outcome: 'declined' } }),
  'watch-request': () => ({ type: 'watch-request' }),
  'watch-signal': (c) => ({ type: 'watch-signal', observerId: c.observerId, offerId: 1, signal: { kind: 'answer', sdp: 'v=0' } }),
  'camera-state': () => ({
    type: 'camera-state',
    capabilities: { torch: true, zoom: null, focus: false, switchCamera: false },
    settings: { torch: false, zoom: null, facing: 'environment' },
  }),
  'camera-request': () => ({ type: 'camera-request', requestId: 1, change: { kind: 'torch', on: true } }),
  'camera-applied': () => ({ type: 'camera-applied', requestId: 1, ok: true }),
  'camera-sync': () => ({ type: 'camera-sync' }),
  'link-quality': () => ({ type: 'link-quality', step: 'low' }),
  'nameplate-confirm': (c) => ({ type: 'nameplate-confirm', uploadId: c.uploadId, values: { serial: 'SN 2231-0042' } }),
};

/** Frames that act on something: it is made first, so a permitted sender is answered `ok`. */
const SETUP: Partial<Record<FrameType, (c: FrameContext, w: World, fx: AuthzFixture) => Promise<Partial<FrameContext>>>> = {
  'annotation-extend': (c) => startMark(c),
  'annotation-finish': (c) => startMark(c),
  'mark-anchor': async (c) => {
    c.sockets.specialist.send({
      type: 'annotation-start',
      id: 'mark-3',
      tool: 'rectangle',
      color: '#ff1f1f',
      width: 3,
      points: [[0.1, 0.1]],
      anchored: true,
    });
    await c.sockets.customer.next('annotation-start');
    return {};
  },
  'still-ready': async (_c, w, fx) => ({ uploadId: await fx.upload(w.sessionId, w.customerToken, 'still') }),
  'snapshot-taken': async (_c, w, fx) => ({ uploadId: await fx.upload(w.sessionId, w.specialistToken, 'snapshot') }),
  'nameplate-confirm': async (_c, w, fx) => ({ uploadId: await fx.upload(w.sessionId, w.specialistToken, 'nameplate') }),
};

async function startMark(c: FrameContext): Promise<Partial<FrameContext>> {
  c.sockets.specialist.send({ type: 'annotation-start', id: 'mark-1', tool: 'freehand', color: '#ff1f1f', width: 3, points: [[0.1, 0.1]] });
  await c.sockets.customer.next('annotation-start');
  return {};
}

const VERDICT_PING = 777;

/** Everything the socket was told up to the answer to a ping: ordered, so a refusal of the frame before it is in. */
async function heardUntilPong(socket: TestSocket): Promise<void> {
  socket.send({ type: 'ping', t: VERDICT_PING });
  for (;;) {
    const pong = await socket.next('pong');
    if (pong.t === VERDICT_PING) return;
  }
}

describe('authorization: every route and every frame against every credential', () => {
  let h: FakeHarness;
  let fx: AuthzFixture;
  let video: FakeTwilioApi;
  let texts: FakeTwilioMessages;

  beforeAll(async () => {
    video = new FakeTwilioApi(`AC${'a1'.repeat(16)}`);
    texts = new FakeTwilioMessages({ authToken: 'authz-auth-token' });
    await Promise.all([video.start(), texts.start()]);
    h = await startHarness(
      {
        TWILIO_ACCOUNT_SID: `AC${'a1'.repeat(16)}`,
        TWILIO_API_KEY_SID: `SK${'b2'.repeat(16)}`,
        TWILIO_API_KEY_SECRET: 'authz-api-key-secret',
        TWILIO_AUTH_TOKEN: 'authz-auth-token',
        TWILIO_WEBHOOK_BASE_URL: 'https://assist.example.com',
        MEDIA_MODE: 'twilio',
        TWILIO_MAX_PARTICIPANTS: '3',
        TWILIO_SMS_FROM: '+4915100000000',
        INVITE_TTL_HOURS: String(INVITE_TTL_HOURS),
      },
      {
        twilio: { httpClient: new RebasedRequestClient(video.url), retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
        smsHttpClient: new RebasedRequestClient(texts.url),
        // Expired sessions stay unended unless a cell ends them: the table has a column for them.
        expirySweepMs: 3_600_000,
      },
    );
    fx = await startAuthzFixture(h);
  });
  afterAll(async () => {
    await h?.close();
    await video?.stop();
    await texts?.stop();
  });

  it('has a row for every route the relay mounts and every frame a client may send, and no others', () => {
    const rows = ROUTES.map((r) => `${r.method} ${r.path}`).filter((key) => !BESIDE_EXPRESS.has(key));
    expect(rows.sort()).toEqual(mountedRoutes(h.relay.app));
    const types = ClientToRelaySchema.options.map((schema) => schema.shape.type.value);
    expect(FRAMES.map((r) => r.frame).sort()).toEqual([...types].sort());
    const context: FrameContext = { sockets: {} as FrameContext['sockets'], observerId: 'observer-1', uploadId: 'upload-id-1' };
    for (const row of FRAMES) expect(ClientToRelaySchema.safeParse(SAMPLES[row.frame](context)).error, row.frame).toBeUndefined();
  });

  const byKind = (cells: readonly Outcome[]) => Object.fromEntries(CREDENTIALS.map((kind, i) => [kind, cells[i]]));

  /** The status of opening a socket with `token`, saying hello when it opens (101 once welcomed). */
  async function upgrade(token: string | null): Promise<number> {
    try {
      const socket = await h.connect(token ?? '');
      socket.close();
      return 101;
    } catch (error) {
      const status = /HTTP (\d+)/.exec(String(error))?.[1];
      if (!status) throw error;
      return Number(status);
    }
  }

  /** Opening the agent's live feed of `sessionId` with the live token `token` gets (the token as the credential itself otherwise). */
  async function agentLiveUpgrade(token: string | null, sessionId: string): Promise<number> {
    const res = await h.api('/api/app/actions/live', { method: 'POST', json: { agentToken: token ?? '', sessionId } });
    const liveToken = res.ok ? ((await res.json()) as { liveToken: string }).liveToken : (token ?? '');
    if (!res.ok) await res.arrayBuffer();
    const url = `${h.relay.url.replace(/^http/, 'ws')}/ws/agent?token=${liveToken}`;
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      ws.on('error', () => undefined);
    });
  }

  async function routeCell(row: RouteRow, kind: CredentialKind): Promise<{ outcome: Outcome; policy: string | null }> {
    const world = await fx.fresh();
    const credential = await fx.credential(kind, world);
    if (row.path === '/ws/agent') return { outcome: await agentLiveUpgrade(credential.token, credential.sessionId), policy: 'n/a' };
    if (BESIDE_EXPRESS.has(`${row.method} ${row.path}`)) return { outcome: await upgrade(credential.token), policy: 'n/a' };
    const { path, init } = await requestFor(row, credential, world, fx.png);
    const res = await h.api(path, init);
    await res.arrayBuffer();
    return { outcome: res.status, policy: res.headers.get('content-security-policy') };
  }

  async function frameCell(row: FrameRow, kind: CredentialKind): Promise<Outcome> {
    if (!holdsSocket(kind)) return upgrade((await fx.credential(kind, await fx.any())).token);
    const world = await fx.fresh();
    const sockets = {
      customer: await h.connect(world.customerToken),
      specialist: await h.connect(world.specialistToken),
      observer: await h.connect(world.observerToken),
    };
    try {
      // Each joiner gets the marks once the room has loaded them: from then on frames are handled in order.
      await Promise.all(Object.values(sockets).map((s) => s.next('annotation-state')));
      await Promise.all(Object.values(sockets).map(heardUntilPong));
      const seen = sockets.specialist.frames.filter((f) => f.type === 'observers').at(-1);
      const observerId = seen?.type === 'observers' ? (seen.observers[0]?.id ?? '') : '';
      let context: FrameContext = { sockets, observerId, uploadId: '' };
      context = { ...context, ...(await SETUP[row.frame]?.(context, world, fx)) };
      await Promise.all(Object.values(sockets).map(heardUntilPong));
      const sender = sockets[kind];
      sender.frames.length = 0;
      sender.send(SAMPLES[row.frame](context));
      await heardUntilPong(sender);
      const error = sender.frames.find((f) => f.type === 'error');
      return error?.type === 'error' ? error.code : OK;
    } finally {
      for (const socket of Object.values(sockets)) socket.close();
    }
  }

  it.each(ROUTES.map((row) => [`${row.method} ${row.path}`, row] as const))('%s', async (_name, row) => {
    const actual: Outcome[] = [];
    const withoutPolicy: string[] = [];
    for (const kind of CREDENTIALS) {
      const { outcome, policy } = await routeCell(row, kind);
      actual.push(outcome);
      if (!policy) withoutPolicy.push(`${kind}: ${outcome}`);
    }
    expect(byKind(actual)).toEqual(byKind(row.cells));
    // Every answer, refusals included, carries a Content-Security-Policy.
    expect(withoutPolicy).toEqual([]);
  });

  it.each(FRAMES.map((row) => [row.frame, row] as const))('frame %s', async (_name, row) => {
    const actual: Outcome[] = [];
    for (const kind of CREDENTIALS) actual.push(await frameCell(row, kind));
    expect(byKind(actual)).toEqual(byKind(row.cells));
  });
});
