import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  CreateSessionRequestSchema,
  JoinRequestSchema,
  PROTOCOL_VERSION,
  SendInviteSmsRequestSchema,
  UploadResponseSchema,
  type ClientToRelay,
  type JoinResponse,
  type ObserveResponse,
} from '@live-assist/protocol';
import type { z } from 'zod';
import { RebasedRequestClient } from './media/twilio/client.js';
import { StatusCallbackBodySchema, TWILIO_STATUS_CALLBACK_PATH } from './media/twilio/webhook.js';
import { SmsStatusCallbackSchema } from './delivery/sms-status.js';
import { SMS_STATUS_CALLBACK_PATH } from './config/sms.js';
import { joinedCustomer, startHarness, type FakeHarness, type HeldSessionView } from './testing/harness.js';
import { FakeTwilioApi } from './testing/fakes/twilio-video.js';
import { FakeTwilioMessages, twilioSignature } from './testing/fakes/twilio-messages.js';
import {
  contentType,
  formBodies,
  formParams,
  jsonBodies,
  schemaForms,
  uploadBodies,
  uploadPurpose,
  type FuzzBody,
} from './testing/fuzz/bodies.js';
import { frameRun } from './testing/fuzz/frames.js';
import { FuzzedLink, type LinkStats } from './testing/fuzz/link.js';
import { FuzzSocket } from './testing/fuzz/socket.js';
import { BodyPoster, expectClientError, jsonBody, schemaAccepts, upgradeStatus } from './testing/fuzz/http.js';
import { Chatter, chatBetween } from './testing/fuzz/chatter.js';

/**
 * Property-based fuzzing of every client frame and every request body against a running relay
 * (real HTTP and ws on loopback). What must hold whatever arrives: the relay answers every bad
 * frame with an error and every bad body with a 4xx (JSON `ApiError` on the API), never a 5xx or
 * a crash; the sender's session and every other session go on.
 *
 * CI runs a fixed seed; elsewhere each run draws one. Either way it is printed: FUZZ_SEED=<seed>
 * replays a run, FUZZ_RUNS=<n> sets the runs per property (default 250).
 */
const CI_SEED = 20_261_205;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? CI_SEED : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const settings = (offset: number, numRuns = RUNS) => ({
  seed: seed + offset,
  numRuns,
  // The relay keeps state between runs, so a shrunk case would not replay alone: report the first failure.
  endOnFailure: true,
});

const ACCOUNT = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'fuzz-auth-token';
const PUBLIC_BASE = 'https://assist.example.com';
const POLICY_VERSION = '2024-01';
/** A second agent of the account: fuzzes session starts (refused: the seats are held) and observes. */
const OTHER_AGENT = 44;

describe('fuzzing the relay: every frame type and every request body', () => {
  let api: FakeTwilioApi;
  let messages: FakeTwilioMessages;
  let h: FakeHarness;
  let agent: string;
  let otherAgent: string;
  /** Session A is fuzzed; session B is never touched and chats all along. */
  let a: HeldSessionView;
  let aCustomer: JoinResponse;
  let aSpecialistSocket: FuzzSocket | null = null;
  let aCustomerSocket: FuzzSocket | null = null;
  let chatter: Chatter;
  let http: BodyPoster;
  const bSockets: FuzzSocket[] = [];
  const linkStats: Record<string, LinkStats> = {};
  let upgrades = 0;
  const startedAt = performance.now();
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    api = new FakeTwilioApi(ACCOUNT);
    await api.start();
    messages = new FakeTwilioMessages({ authToken: AUTH_TOKEN });
    await messages.start();
    // Twilio configured (peer-to-peer media): the SMS invite and both Twilio callbacks are mounted too.
    h = await startHarness(
      {
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
        TWILIO_API_KEY_SECRET: 'fuzz-key-secret',
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_WEBHOOK_BASE_URL: PUBLIC_BASE,
        TWILIO_SMS_FROM: '+4915100000000',
        MEDIA_MODE: 'p2p',
      },
      {
        twilio: { httpClient: new RebasedRequestClient(api.url), retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
        smsHttpClient: new RebasedRequestClient(messages.url),
      },
    );
    http = new BodyPoster(h.relay.url);
    agent = await h.agentToken();
    otherAgent = await h.agentToken(OTHER_AGENT);
    a = await h.createSession(agent, 1);
    const b = await h.createSession(agent, 2);
    aCustomer = await joinedCustomer(h, a);
    const bCustomer = await joinedCustomer(h, b);
    const bPhone = await cleanSocket(bCustomer.participantToken);
    const bConsole = await cleanSocket(b.specialistToken);
    bSockets.push(bPhone, bConsole);
    chatter = new Chatter(bPhone, bConsole);
    aSpecialistSocket = await cleanSocket(a.specialistToken);
    aCustomerSocket = await cleanSocket(aCustomer.participantToken);
    console.log(`[fuzz] seed ${seed} (replay with FUZZ_SEED=${seed}), ${RUNS} runs per property`);
  });

  const frameCount = () => Object.values(linkStats).reduce((n, s) => n + s.frames, 0);
  const cases = () => frameCount() + (http?.count ?? 0) + upgrades;
  let roundsDuring = 0;

  /** The figures of the run, printed whether or not it passed. */
  function printMeasured(): void {
    const links = Object.values(linkStats);
    const sum = (key: 'bad' | 'valid' | 'tooLarge' | 'oversize' | 'badUtf8' | 'floods' | 'wrongVersions' | 'reconnects' | 'limitCloses') =>
      links.reduce((n, s) => n + s[key], 0);
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    console.log(
      `[measured] fuzz: ${frameCount()} frames (${sum('bad')} bad, ${sum('valid')} valid, ${sum('tooLarge')} over 64 KiB, ` +
        `${sum('oversize')} over the ws cap, ${sum('badUtf8')} not UTF-8, ${sum('floods')} floods, ${sum('wrongVersions')} wrong hellos; ` +
        `${sum('reconnects')} reconnects, ${sum('limitCloses')} bad-frame-limit closes), ${http?.count ?? 0} bodies on ` +
        `${Object.keys(http?.byRoute ?? {}).length} routes, ${upgrades} upgrades: ${cases()} cases in ${seconds} s; ` +
        `seed ${seed} (FUZZ_SEED), ${RUNS} runs per property (FUZZ_RUNS); ` +
        `session B: ${roundsDuring || (chatter?.rounds ?? 0)} chat round trips during, slowest ${(chatter?.slowestMs ?? 0).toFixed(0)} ms`,
    );
    for (const [name, s] of Object.entries(linkStats)) {
      console.log(
        `[measured] fuzz ${name}: valid by type ${JSON.stringify(s.validTypes)}; frames by generator ${JSON.stringify(s.origins)}`,
      );
    }
    console.log(`[measured] fuzz bodies by route and status: ${JSON.stringify(http?.byRoute ?? {})}`);
  }

  afterAll(async () => {
    printMeasured();
    await chatter?.stop().catch(() => undefined);
    for (const socket of [aSpecialistSocket, aCustomerSocket, ...bSockets]) await socket?.close();
    await h?.close();
    await messages?.stop();
    await api?.stop();
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
  });

  async function cleanSocket(token: string): Promise<FuzzSocket> {
    const socket = await FuzzSocket.open(h.wsUrl(token));
    socket.sendText(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
    await socket.until('welcome', () => (socket.frames.some((f) => f.type === 'welcome') ? true : null));
    return socket;
  }

  async function healthy(): Promise<void> {
    const res = await fetch(`${h.relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(escaped).toEqual([]);
    // Session B's conversation has not stalled so far.
    expect(chatter.failed?.message ?? null).toBeNull();
  }

  /** What the other side must have seen of the fuzzed side's valid frames (at least once each). */
  function forwardCounter() {
    const counts = { signal: 0, pointer: 0, location: 0, watchRequest: 0, watchSignal: 0 };
    const onValid = (frame: ClientToRelay) => {
      if (frame.type === 'signal') counts.signal += 1;
      if (frame.type === 'pointer') counts.pointer += 1;
      if (frame.type === 'location') counts.location += 1;
      if (frame.type === 'watch-request') counts.watchRequest += 1;
      if (frame.type === 'watch-signal') counts.watchSignal += 1;
    };
    return { counts, onValid };
  }

  /** Session A's clean sockets, reopened where a phase (or its failure) left one closed. */
  async function cleanA(): Promise<{ specialist: FuzzSocket; customer: FuzzSocket }> {
    if (!aSpecialistSocket || aSpecialistSocket.closeCode !== null) aSpecialistSocket = await cleanSocket(a.specialistToken);
    if (!aCustomerSocket || aCustomerSocket.closeCode !== null) aCustomerSocket = await cleanSocket(aCustomer.participantToken);
    return { specialist: aSpecialistSocket, customer: aCustomerSocket };
  }

  /**
   * Runs the frame property on `token`'s socket, then `check` with the link; whatever happens, the
   * link's socket is closed and session A gets its clean sockets back for the next test.
   */
  async function fuzzFramesAs(
    name: string,
    token: string,
    offset: number,
    onValid: (frame: ClientToRelay) => void,
    check: (link: FuzzedLink) => Promise<void>,
  ): Promise<void> {
    const link = new FuzzedLink(h.wsUrl(token), name, onValid);
    linkStats[name] = link.stats;
    try {
      await link.connect();
      await fc.assert(
        fc.asyncProperty(frameRun, (run) => link.run(run)),
        settings(offset),
      );
      if (!link.socket || link.socket.closeCode !== null) await link.connect();
      expect(link.allInvalid()).toEqual([]);
      await check(link);
    } finally {
      await link.close();
      await cleanA();
    }
  }

  it('frames from the customer: each bad one gets an error, the specialist gets what it should and only valid frames', async () => {
    const { specialist, customer } = await cleanA();
    await customer.close();
    const from = specialist.frames.length;
    const { counts, onValid } = forwardCounter();
    await fuzzFramesAs('customer', aCustomer.participantToken, 1, onValid, async (link) => {
      const relayed = () => {
        const frames = specialist.frames.slice(from);
        return {
          signal: frames.filter((f) => f.type === 'signal' && f.from === 'customer').length,
          pointer: frames.filter((f) => f.type === 'pointer' && f.from === 'customer').length,
          location: frames.filter((f) => f.type === 'customer-location').length,
        };
      };
      await specialist
        .until('what the customer sent relayed', () => {
          const got = relayed();
          return got.signal >= counts.signal && got.pointer >= counts.pointer && got.location >= counts.location ? true : null;
        })
        .catch((error: Error) => {
          const errors = specialist.errorsSince(from).map((e) => e.message);
          throw new Error(
            `${error.message}: sent ${JSON.stringify(counts)}, relayed ${JSON.stringify(relayed())}; errors to the specialist ${JSON.stringify(errors)}`,
          );
        });
      await chatBetween(link.socket!, specialist, 'Kunde nach dem Fuzzing 👋');
      await chatBetween(specialist, link.socket!, 'Specialist still here — ok');
    });
    expect(specialist.invalid).toEqual([]);
    expect(specialist.closeCode).toBeNull();
    await healthy();
  });

  it('frames from the specialist: each bad one gets an error, the customer gets what it should and only valid frames', async () => {
    const { specialist, customer } = await cleanA();
    await specialist.close();
    const from = customer.frames.length;
    const { counts, onValid } = forwardCounter();
    await fuzzFramesAs('specialist', a.specialistToken, 2, onValid, async (link) => {
      await customer.until(`what the specialist sent relayed (${JSON.stringify(counts)})`, () => {
        const frames = customer.frames.slice(from);
        const signals = frames.filter((f) => f.type === 'signal' && f.from === 'specialist').length;
        const pointers = frames.filter((f) => f.type === 'pointer' && f.from === 'specialist').length;
        return signals >= counts.signal && pointers >= counts.pointer ? true : null;
      });
      await chatBetween(link.socket!, customer, 'Specialist after fuzzing');
      await chatBetween(customer, link.socket!, 'Клиентът е тук');
    });
    expect(customer.invalid).toEqual([]);
    expect(customer.closeCode).toBeNull();
    await healthy();
  });

  it('frames from an observer: each bad one gets an error, watch requests reach the specialist, the call goes on', async () => {
    const res = await h.api(`/api/sessions/${a.sessionId}/observe`, { method: 'POST', bearer: otherAgent });
    expect(res.status).toBe(200);
    const { observerToken } = (await res.json()) as ObserveResponse;
    const { specialist, customer } = await cleanA();
    const from = specialist.frames.length;
    const { counts, onValid } = forwardCounter();
    await fuzzFramesAs('observer', observerToken, 3, onValid, async (link) => {
      await specialist.until(`what the observer sent relayed (${JSON.stringify(counts)})`, () => {
        const frames = specialist.frames.slice(from);
        const requests = frames.filter((f) => f.type === 'watch-request').length;
        const signals = frames.filter((f) => f.type === 'watch-signal').length;
        return requests >= counts.watchRequest && signals >= counts.watchSignal ? true : null;
      });
      // The observer still watches: the call's chat reaches it.
      const observer = link.socket!;
      await chatBetween(customer, specialist, 'observed and fine');
      await observer.until('chat to the observer', () =>
        observer.frames.some((f) => f.type === 'chat-message' && f.message.text === 'observed and fine') ? true : null,
      );
    });
    for (const socket of [specialist, customer]) {
      expect(socket.invalid).toEqual([]);
      expect(socket.closeCode).toBeNull();
    }
    await healthy();
  });

  it('upgrades with junk tokens and paths are refused (401/404), never a 500', async () => {
    const base = h.relay.url.replace(/^http/, 'ws');
    const query = fc.oneof(
      fc.string({ maxLength: 80 }).map((t) => `?token=${encodeURIComponent(Buffer.from(t).toString())}`),
      fc.constantFrom(
        '',
        '?token',
        '?token=',
        '?token=%E0%A4%A',
        '?token=%00',
        `?token=${aCustomer.participantToken}x`,
        '?token=a&token=b',
      ),
      fc.constant(`?token=${aCustomer.participantToken.slice(0, -1)}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/ws', '/ws/', '/WS', '/api/ws', '/'), query, async (path, q) => {
        upgrades += 1;
        const outcome = await upgradeStatus(`${base}${path}${q}`);
        expect(outcome, `${path}${q}`).toBe(path === '/ws' ? 401 : 404);
      }),
      settings(4, Math.ceil(RUNS / 2)),
    );
    await healthy();
  });

  /** A JSON route: anything the schema refuses is a 4xx; what it accepts may succeed (`ok` statuses). */
  async function fuzzJsonRoute(
    route: string,
    path: string,
    schema: z.ZodType,
    limit: number,
    offset: number,
    opts: { bearer?: string; ok?: number[]; extra?: fc.Arbitrary<unknown> } = {},
  ) {
    const arbitrary = opts.extra
      ? fc.oneof(
          { weight: 4, arbitrary: jsonBodies(schema, limit) },
          { weight: 1, arbitrary: fc.tuple(opts.extra, contentType).map(([v, type]) => jsonBody(v, type)) },
        )
      : jsonBodies(schema, limit);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (body) => {
        const answer = await http.post(route, path, body, opts.bearer ? { Authorization: `Bearer ${opts.bearer}` } : {});
        const what = `${route} ${body.origin} (${body.contentType}, ${body.contentEncoding}) ${Buffer.from(body.plain).toString('utf8').slice(0, 200)}`;
        if (answer.status < 400 && schemaAccepts(schema, body.plain) && (opts.ok ?? []).includes(answer.status)) return;
        expectClientError(answer, what);
      }),
      settings(offset),
    );
  }

  it('session start bodies: 4xx for every bad one (the tickets are held by another agent, so no good one starts a session)', async () => {
    await fuzzJsonRoute('session start', '/api/sessions', CreateSessionRequestSchema, 32 * 1024, 10, { bearer: otherAgent });
    await healthy();
  });

  it('join bodies: 4xx for every bad one, and the customer keeps its seat', async () => {
    const invite = a.inviteUrl.slice(a.inviteUrl.lastIndexOf('/') + 1);
    const consent = fc.record({
      acceptedPolicy: fc.constant(true),
      policyVersion: fc.constantFrom(POLICY_VERSION, `${POLICY_VERSION} `),
      locale: fc.constantFrom('de', 'en-US', 'x'),
      consentText: fc.string({ minLength: 1, maxLength: 50 }),
    });
    await fuzzJsonRoute('join', `/api/invites/${invite}/join`, JoinRequestSchema, 32 * 1024, 11, { extra: consent });
    // Every well-formed join met a live customer socket: 409, and that socket is still in the call.
    expect(aCustomerSocket!.closeCode).toBeNull();
    await healthy();
  });

  it('SMS invite bodies: 4xx for every bad one; a good number is sent (at most five per session)', async () => {
    const phone = fc
      .tuple(fc.stringMatching(/^\+[1-9]\d{7,14}$/), fc.constantFrom('', ' ', '-', '(', ')', '.'))
      .map(([n, sep]) => ({ phoneNumber: sep ? n.replace(/(\d{3})/g, `$1${sep}`) : n }));
    await fuzzJsonRoute('SMS invite', `/api/sessions/${a.sessionId}/invite/sms`, SendInviteSmsRequestSchema, 4 * 1024, 12, {
      bearer: agent,
      ok: [201],
      extra: phone,
    });
    await healthy();
  });

  it('upload bodies (raw bytes, any type claimed): 4xx for all but real images, never a 5xx', async () => {
    // The HEIC decoder (wasm) prints each file it cannot parse; those lines say nothing here.
    const log = console.log;
    const quiet = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).startsWith('Could not parse HEIF')) log(...args);
    });
    onTestFinished(() => quiet.mockRestore());
    const seeds = await Promise.all(
      (['png', 'jpeg', 'webp'] as const).map((format) =>
        sharp({ create: { width: 24, height: 16, channels: 3, background: '#2a6f97' } })
          .toFormat(format)
          .toBuffer(),
      ),
    );
    await fc.assert(
      fc.asyncProperty(uploadBodies(seeds), uploadPurpose, async (body, purpose) => {
        const query = purpose === null ? '' : `?purpose=${encodeURIComponent(purpose)}`;
        const answer = await http.post('upload', `/api/sessions/${a.sessionId}/uploads${query}`, body, {
          Authorization: `Bearer ${aCustomer.participantToken}`,
        });
        const what = `upload ${body.origin} (${body.contentType}, ${body.contentEncoding}, purpose ${purpose}, ${body.plain.length} bytes)`;
        if (answer.status === 201 && body.origin.startsWith('image:')) {
          expect(UploadResponseSchema.safeParse(JSON.parse(answer.text)).success, what).toBe(true);
          return;
        }
        expectClientError(answer, what);
      }),
      settings(13),
    );
    await healthy();
  });

  it('app load forms (signed-URL tokens, junk and near-valid): 4xx pages unless signed for an agent, never a 5xx', async () => {
    const signed = fc
      .record({
        sub: fc.oneof(fc.constantFrom('42', '43', '44', '501', '0', '-1', '', '1e3'), fc.string({ maxLength: 12 })),
        location: fc.oneof(fc.constantFrom('ticket_sidebar', 'modal', 'nav_bar', ''), fc.string({ maxLength: 12 })),
        expiresIn: fc.oneof(fc.constantFrom(60, -60, 0, 10_000_000), fc.integer({ min: -1e6, max: 1e6 })),
        claims: fc.dictionary(fc.constantFrom('jti', 'iat', 'nbf', 'context', 'iss', 'aud', 'sub', 'qsh'), fc.jsonValue({ maxDepth: 2 }), {
          maxKeys: 3,
        }),
      })
      .map((opts) => ({ opts }));
    const token = fc.oneof({ weight: 2, arbitrary: signed }, { weight: 3, arbitrary: fc.constant(null) });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('ticket_sidebar', 'modal', 'nav_bar', 'ticket_sidebar%00'),
        token,
        formBodies(),
        async (location, tok, body) => {
          let sent = body;
          let origin = body.origin;
          if (tok) {
            const jwt = await h.helpdesk.sign(tok.opts).catch(() => null);
            if (jwt) {
              const plain = Buffer.from(new URLSearchParams({ token: jwt }).toString());
              sent = { ...body, plain, body: plain, contentType: 'application/x-www-form-urlencoded', contentEncoding: null };
              origin = 'signed';
            }
          }
          const answer = await http.post('app load', `/app/${location}`, sent);
          if (answer.status === 200 && origin === 'signed') return;
          expectClientError(answer, `app load ${origin} at ${location}: ${JSON.stringify(tok?.opts ?? null)}`, false);
        },
      ),
      settings(14),
    );
    await healthy();
  });

  it('Twilio callbacks (room status, SMS status), signed or not: 403/400/204, never a 5xx', async () => {
    const timestamps = fc.constantFrom(new Date().toISOString(), 'not a date', '9999-99-99', '+275760-09-13T00:00:00.001Z', '0');
    const roomCallback = schemaForms(StatusCallbackBodySchema, {
      StatusCallbackEvent: fc.constantFrom(
        'room-created',
        'room-ended',
        'participant-connected',
        'participant-disconnected',
        'track-added',
      ),
      AccountSid: fc.constant(ACCOUNT),
      RoomName: fc.constantFrom(`live-assist-${a.sessionId}`, 'live-assist-', `live-assist-${a.sessionId}x`),
      ParticipantIdentity: fc.constantFrom('customer', 'specialist', 'observer-abc', ''),
      SequenceNumber: fc.constantFrom('0', '1', '2', '99999999999999999999', '-1', '1.5', ''),
      Timestamp: timestamps,
    });
    const sentSids = messages.sent.map((m) => m.sid);
    const smsCallback = schemaForms(SmsStatusCallbackSchema, {
      AccountSid: fc.constant(ACCOUNT),
      MessageSid: sentSids.length > 0 ? fc.constantFrom(...sentSids) : fc.constant(`SM${'0'.repeat(32)}`),
      MessageStatus: fc.constantFrom('queued', 'sent', 'delivered', 'undelivered', 'failed', 'read'),
      ErrorCode: fc.constantFrom('', '30003', '-1', '1e3', '9999999'),
    });
    for (const [route, path, offset, forms] of [
      ['room status callback', TWILIO_STATUS_CALLBACK_PATH, 15, roomCallback],
      ['SMS status callback', SMS_STATUS_CALLBACK_PATH, 16, smsCallback],
    ] as const) {
      const signedForm = fc.tuple(fc.oneof(forms, formParams), fc.boolean());
      await fc.assert(
        fc.asyncProperty(signedForm, formBodies(), async ([params, sign], junk) => {
          const form = Buffer.from(params.toString());
          const body: FuzzBody = sign
            ? { plain: form, body: form, contentType: 'application/x-www-form-urlencoded', contentEncoding: null, origin: 'signed form' }
            : junk;
          const headers: Record<string, string> = sign
            ? { 'X-Twilio-Signature': twilioSignature(AUTH_TOKEN, `${PUBLIC_BASE}${path}`, params) }
            : {};
          const answer = await http.post(route, path, body, headers);
          if (answer.status === 204 && sign) return;
          // Twilio reads the status only; these answers are plain text by design (docs/contract.md).
          expectClientError(answer, `${route} ${body.origin}: ${params.toString().slice(0, 200)}`, false);
        }),
        settings(offset),
      );
    }
    await healthy();
  });

  it('routes that take no body ignore whatever body comes: the same answer as without one', async () => {
    const anyBody = jsonBodies(CreateSessionRequestSchema, 8 * 1024);
    const routes = [
      ['observe', `/api/sessions/${a.sessionId}/observe`, otherAgent],
      ['Twilio token', '/api/media/twilio-token', aCustomer.participantToken],
      ['customer end (foreign token)', `/api/invites/${a.inviteUrl.slice(a.inviteUrl.lastIndexOf('/') + 1)}/end`, 'not-the-customer'],
      ['photo download (no such photo)', `/api/sessions/${a.sessionId}/uploads/upload-none-0001/download`, a.specialistToken],
    ] as const;
    for (const [index, [route, path, bearer]] of routes.entries()) {
      const baseline = (await fetch(`${h.relay.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${bearer}` } })).status;
      expect(baseline, route).toBeLessThan(500);
      await fc.assert(
        fc.asyncProperty(anyBody, async (body) => {
          const answer = await http.post(route, path, body, { Authorization: `Bearer ${bearer}` });
          expect(answer.status, `${route} with ${body.origin} (${body.contentType}, ${body.contentEncoding})`).toBe(baseline);
        }),
        settings(20 + index, Math.ceil(RUNS / 4)),
      );
    }
    await healthy();
  });

  it('after all of it: session A still calls, session B chatted throughout, nothing escaped', async () => {
    // The sockets the HTTP tests ran beside: still open, never closed by any body.
    const specialist = aSpecialistSocket!;
    const customer = aCustomerSocket!;
    await chatBetween(customer, specialist, 'A: still talking ✓');
    await chatBetween(specialist, customer, 'A: and back ✓');
    const rounds = chatter.rounds;
    roundsDuring = rounds;
    await chatter.stop();
    await chatBetween(bSockets[0]!, bSockets[1]!, 'B: after the fuzzing');
    await chatBetween(bSockets[1]!, bSockets[0]!, 'B: still fine');
    for (const socket of [specialist, customer, ...bSockets]) {
      expect(socket.invalid).toEqual([]);
      expect(socket.closeCode).toBeNull();
    }
    // Session B went on while A was fuzzed, and kept its pace.
    expect(rounds).toBeGreaterThan(10);
    await healthy();

    expect(cases()).toBeGreaterThanOrEqual(RUNS >= 250 ? 10_000 : 0);
  });
});
