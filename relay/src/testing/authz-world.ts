import sharp from 'sharp';
import type { ApiError, ObserveResponse, SessionView, UploadPurpose, UploadResponse } from '@live-assist/protocol';
import { randomToken } from '../tokens.js';
import { held, inviteTokenOf, joinedCustomer, startHarness, type FakeHarness } from './harness.js';

/** Every kind of credential a request or socket may carry: the columns of the authorization table. */
export const CREDENTIALS = [
  'none',
  'customer',
  'specialist',
  'observer',
  'agent',
  'colleague',
  'otherAccount',
  'expiredLogin',
  'expiredLink',
  'ended',
] as const;
export type CredentialKind = (typeof CREDENTIALS)[number];

/** What the holder of one credential sends: its token (bearer or socket), the session and the invite link it names. */
export interface Credential {
  token: string | null;
  sessionId: string;
  inviteToken: string;
}

/** A fresh session of ticket 1, held by the agent: its customer joined, the colleague watching. */
export interface World {
  sessionId: string;
  inviteToken: string;
  specialistToken: string;
  customerToken: string;
  observerToken: string;
  /** A photo the customer uploaded (made on first ask). */
  uploadId(): Promise<string>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** An agent's login lasts 12 hours (sessions/service.ts). */
const AGENT_LOGIN_MS = 12 * HOUR;
/** The table's relay runs with INVITE_TTL_HOURS=1. */
export const INVITE_TTL_HOURS = 1;
const LINK_MS = INVITE_TTL_HOURS * HOUR;
/** The second agent of the fake account (testing/harness.ts). */
const COLLEAGUE_ID = 44;

export interface AuthzFixture {
  /** A small valid PNG. */
  png: Buffer;
  fresh(): Promise<World>;
  /** The last world, or a fresh one: for a cell whose credential names no session's state. */
  any(): Promise<World>;
  credential(kind: CredentialKind, world: World): Promise<Credential>;
  /** Uploads a small PNG as `token`'s holder; answers the upload's id. */
  upload(sessionId: string, token: string, purpose: UploadPurpose): Promise<string>;
}

/**
 * The credentials of the table, made the way users get them: agents sign in through the signed-URL
 * app load, the customer joins through the invite, the colleague asks to observe. The clock moves
 * forward to let a login and a link expire. The agent of another helpdesk account signs in through a
 * second relay on the same database, bound to a Zendesk stand-in of its own (another account host).
 */
export async function startAuthzFixture(h: FakeHarness): Promise<AuthzFixture> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 120, b: 200 } } })
    .png()
    .toBuffer();
  const elsewhere = await startHarness({ INVITE_TTL_HOURS: String(INVITE_TTL_HOURS) }, { dataDir: h.dataDir, expirySweepMs: HOUR });
  let otherAccount: string;
  try {
    // Signed in before any other login exists (a sign-in deletes expired ones), on a clock ahead
    // of everything the main relay's clock will pass through (a login and a few links).
    elsewhere.advanceClock(AGENT_LOGIN_MS + 6 * LINK_MS);
    otherAccount = await elsewhere.agentToken();
  } finally {
    await elsewhere.close();
  }

  // Every sign-in deletes the logins that have expired: the agent and the colleague sign in while
  // the first login still runs, and nobody signs in after it has expired.
  const expiredLogin = await h.agentToken();
  h.advanceClock(AGENT_LOGIN_MS - 30 * MINUTE);
  const agent = await h.agentToken();
  const colleague = await h.agentToken(COLLEAGUE_ID);
  h.advanceClock(31 * MINUTE);

  const upload = async (sessionId: string, token: string, purpose: UploadPurpose): Promise<string> => {
    const res = await h.api(`/api/sessions/${sessionId}/uploads?purpose=${purpose}`, {
      method: 'POST',
      bearer: token,
      headers: { 'Content-Type': 'image/png' },
      body: png as BodyInit,
    });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as UploadResponse).upload.id;
  };

  /**
   * The dead sessions: a link past its expiry whose session nobody ended (its customer's token), on
   * ticket 2; then, on ticket 1 and after the clock moved, a session ended before its link expired
   * (its specialist's token). Worlds on ticket 1 come after it and leave it alone.
   */
  const makeDead = async (): Promise<{ expired: Credential; ended: Credential }> => {
    const old = await h.createSession(agent, 2);
    const { participantToken } = await joinedCustomer(h, old);
    h.advanceClock(LINK_MS + MINUTE);
    const done = await h.createSession(agent, 1);
    await joinedCustomer(h, done);
    const end = await h.api(`/api/sessions/${done.sessionId}/end`, { method: 'POST', bearer: agent });
    if (end.status !== 200) throw new Error(`end failed: ${end.status}`);
    return {
      expired: { token: participantToken, sessionId: old.sessionId, inviteToken: inviteTokenOf(old.inviteUrl) },
      ended: { token: done.specialistToken, sessionId: done.sessionId, inviteToken: inviteTokenOf(done.inviteUrl) },
    };
  };
  let dead = await makeDead();
  /** `End call` ends a session past its link's expiry too: after a cell did that, both are made anew. */
  const deadSessions = async () => {
    const res = await h.api(`/api/invites/${dead.expired.inviteToken}`);
    if (((await res.json()) as ApiError).error.code !== 'invite-expired') dead = await makeDead();
    return dead;
  };

  let last: World | null = null;
  const create = () => h.api('/api/sessions', { method: 'POST', bearer: agent, json: { ticketId: 1 } });
  const fresh = async (): Promise<World> => {
    let res = await create();
    if (res.status === 409 && last) {
      // A takeover cell left the colleague in the seat of the last world: the colleague ends it.
      await h.api(`/api/sessions/${last.sessionId}/end`, { method: 'POST', bearer: colleague });
      res = await create();
    }
    if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${await res.text()}`);
    const view = held((await res.json()) as SessionView);
    const { participantToken } = await joinedCustomer(h, view);
    const watch = await h.api(`/api/sessions/${view.sessionId}/observe`, { method: 'POST', bearer: colleague });
    if (watch.status !== 200) throw new Error(`observe failed: ${watch.status}`);
    let photo: Promise<string> | null = null;
    last = {
      sessionId: view.sessionId,
      inviteToken: inviteTokenOf(view.inviteUrl),
      specialistToken: view.specialistToken,
      customerToken: participantToken,
      observerToken: ((await watch.json()) as ObserveResponse).observerToken,
      uploadId: () => (photo ??= upload(view.sessionId, participantToken, 'photo')),
    };
    return last;
  };

  const credential = async (kind: CredentialKind, w: World): Promise<Credential> => {
    const of = (token: string | null): Credential => ({ token, sessionId: w.sessionId, inviteToken: w.inviteToken });
    switch (kind) {
      case 'none':
        // Holds nothing: the link it names is a guess.
        return { token: null, sessionId: w.sessionId, inviteToken: randomToken() };
      case 'customer':
        return of(w.customerToken);
      case 'specialist':
        return of(w.specialistToken);
      case 'observer':
        return of(w.observerToken);
      case 'agent':
        return of(agent);
      case 'colleague':
        return of(colleague);
      case 'otherAccount':
        return of(otherAccount);
      case 'expiredLogin':
        return of(expiredLogin);
      case 'expiredLink':
        return (await deadSessions()).expired;
      case 'ended':
        return (await deadSessions()).ended;
    }
  };

  return { png, fresh, any: async () => last ?? fresh(), credential, upload };
}
