import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../db/database.js';
import type { Storage } from '../db/repository.js';
import { openStorage } from '../db/storage.js';
import { ENGINES, rows, testDatabase, testStorage } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { startPeerRelay, type PeerRelay } from '../testing/peer-relay.js';
import { spentAppTokenRepository } from './store.js';
import { SignedUrlTokenGuard } from './token-replay.js';

const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);
const KEY = new TextEncoder().encode('only-the-claims-matter-to-the-guard');

/** A signed-URL token as the guard sees it (the signature was checked before, by the verifier). */
async function token(issuedAtMs: number, lifetimeS = 300): Promise<string> {
  const iat = Math.floor(issuedAtMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeS)
    .sign(KEY);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A guard over `storage` with a clock the test moves. */
function guardOn(storage: Storage, clock: { now: number }): SignedUrlTokenGuard {
  return new SignedUrlTokenGuard(spentAppTokenRepository(storage.database), () => clock.now);
}

const kept = async (storage: Storage): Promise<number> =>
  Number((await rows<{ n: number }>(storage.database, 'SELECT COUNT(*) AS n FROM spent_app_tokens'))[0]?.n);

describe.each(ENGINES)('signed-URL tokens spent on %s', (engine) => {
  async function storage(): Promise<Storage> {
    const s = await testStorage(engine);
    cleanups.push(() => s.close());
    return s;
  }

  it('a token opens the app once; the second use is refused', async () => {
    const clock = { now: T0 };
    const guard = guardOn(await storage(), clock);
    const t = await token(T0);
    expect(await guard.spend(t)).toBeNull();
    expect(await guard.spend(t)).toBe('token already used');
    expect(await guard.spend(await token(T0))).toBeNull();
  });

  it('refuses a token without expiry or claiming a long life, and garbage, without spending anything', async () => {
    const s = await storage();
    const guard = guardOn(s, { now: T0 });
    const forever = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(T0 / 1000)
      .sign(KEY);
    expect(await guard.spend(forever)).toBe('token without expiry');
    expect(await guard.spend(await token(T0, 3600))).toMatch(/lives longer/);
    expect(await guard.spend('not-a-jwt')).toBe('malformed token');
    expect(await kept(s)).toBe(0);
  });

  it('an expired entry neither blocks nor stays: the next app load clears it', async () => {
    const s = await storage();
    const clock = { now: T0 };
    const guard = guardOn(s, clock);
    const old = await token(T0, 120);
    expect(await guard.spend(old)).toBeNull();
    expect(await guard.spend(old)).toBe('token already used');
    // Past its expiry and the minute of clock skew the verifier allows.
    clock.now = T0 + (120 + 61) * 1000;
    expect(await guard.spend(await token(clock.now))).toBeNull();
    expect(await kept(s)).toBe(1);
    // The verifier refuses the expired token anyway; the guard no longer holds it.
    expect(await guard.spend(old)).toBeNull();
  });

  it('keeps a token through the minute of clock skew after its expiry', async () => {
    const clock = { now: T0 };
    const guard = guardOn(await storage(), clock);
    const t = await token(T0, 120);
    expect(await guard.spend(t)).toBeNull();
    clock.now = T0 + (120 + 59) * 1000;
    expect(await guard.spend(await token(clock.now))).toBeNull();
    expect(await guard.spend(t)).toBe('token already used');
  });
});

// Several relays share PostgreSQL (one SQLite file serves one relay).
describe('signed-URL tokens across relays on one PostgreSQL', () => {
  it('a token spent through one relay is refused through another, also when both try at once', async () => {
    const db = await testDatabase(Engine.postgres);
    const a = await openStorage(db.target);
    const b = await openStorage(db.target);
    cleanups.push(db.drop, a.close, b.close);
    const clock = { now: T0 };
    const [onA, onB] = [guardOn(a, clock), guardOn(b, clock)];

    const t = await token(T0);
    expect(await onA.spend(t)).toBeNull();
    expect(await onB.spend(t)).toBe('token already used');

    for (let i = 0; i < 5; i++) {
      const raced = await token(T0);
      const answers = await Promise.all([onA.spend(raced), onB.spend(raced), onA.spend(raced), onB.spend(raced)]);
      expect(answers.filter((x) => x === null)).toHaveLength(1);
    }
  });

  describe('over HTTP', () => {
    let a: EngineHarness | undefined;
    let b: PeerRelay | undefined;
    afterEach(async () => {
      await b?.close();
      await a?.close();
      a = b = undefined;
    });

    it('an app load replayed to the other relay behind the balancer gets the sign-in failure', async () => {
      a = await startHarnessOn(Engine.postgres);
      b = await startPeerRelay(a);
      const load = (relayUrl: string, t: string) =>
        fetch(`${relayUrl}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token: t }) });
      const t = await a.h.helpdesk.sign();
      const first = await load(b.url, t);
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('live-assist-boot');
      const replay = await load(a.h.relay.url, t);
      expect(replay.status).toBe(401);
      const html = await replay.text();
      expect(html).toContain('could not be verified');
      expect(html).not.toContain('live-assist-boot');
    });
  });
});
