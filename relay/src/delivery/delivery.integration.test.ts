import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InviteReplySchema, type InviteSent, type SmsStatusView } from '@live-assist/protocol';
import { RebasedRequestClient } from '../media/twilio/client.js';
import { hashToken, randomToken } from '../tokens.js';
import { joinedCustomer, startHarness, ticketComments, type SandboxHarness } from '../testing/harness.js';
import { FakeTwilioMessages } from '../testing/fakes/twilio-messages.js';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const API_KEY = `SK${'2'.repeat(32)}`;

let twilio: FakeTwilioMessages;
let sr: SandboxHarness;

beforeAll(async () => {
  twilio = new FakeTwilioMessages({ authToken: 'auth-token-value' });
  await twilio.start();
  const client = new RebasedRequestClient(twilio.url);
  sr = await startHarness(
    {
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_API_KEY_SID: API_KEY,
      TWILIO_API_KEY_SECRET: 'key-secret-value',
      TWILIO_AUTH_TOKEN: 'auth-token-value',
      MEDIA_MODE: 'p2p',
      TWILIO_SMS_FROM: '+4915100000000',
      // What Twilio is told to call; the stand-in posts to the relay's local port instead, as a proxy would.
      TWILIO_WEBHOOK_BASE_URL: 'https://assist.example.com',
    },
    { helpdesk: 'sandbox', smsHttpClient: client },
  );
  twilio.callbackTarget = sr.relay.url;
});

afterAll(async () => {
  await sr?.close();
  await twilio?.stop();
});

describe('invite delivery', () => {
  it('"Send link to requester" adds one public comment with the link, in the requester\'s language', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1202);
    const res = await sr.api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: agent });
    expect(res.status).toBe(201);
    expect((await res.json()) as InviteSent).toMatchObject({ channel: 'ticket-comment', locale: 'de', to: null });

    const withLink = (await ticketComments(sr, 1202)).filter((c) => c.html_body.includes(view.inviteUrl));
    expect(withLink).toHaveLength(1);
    expect(withLink[0]!.public).toBe(true);
    expect(withLink[0]!.html_body).toContain('Hallo Anna Schmidt,');
    expect(withLink[0]!.html_body).toContain(`<a href="${view.inviteUrl}"`);
  });

  it('"Insert link into reply" gets the invite in the requester\'s language, as HTML and as plain text, and posts nothing itself', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1201);
    const before = (await ticketComments(sr, 1201)).length;
    const res = await sr.api(`/api/sessions/${view.sessionId}/invite/reply`, { bearer: agent });
    expect(res.status).toBe(200);
    const reply = InviteReplySchema.parse(await res.json());
    expect(reply.locale).toBe('bg');
    expect(reply.html).toContain(`<a href="${view.inviteUrl}"`);
    expect(reply.html).toContain('Здравейте, Georgi Ivanov,');
    expect(reply.text).toContain(view.inviteUrl);
    expect(reply.text).toContain('Здравейте, Georgi Ivanov,');
    expect(reply.text).not.toMatch(/<[a-z]/);
    expect((await ticketComments(sr, 1201)).length).toBe(before);
    // Another agent's session token, or none, gets nothing.
    expect((await sr.api(`/api/sessions/${view.sessionId}/invite/reply`)).status).toBe(401);
  });

  it('sends the link by SMS through Twilio Messaging to the confirmed number', async () => {
    const agent = await sr.agentToken();
    expect(await (await sr.api('/api/invite-delivery', { bearer: agent })).json()).toEqual({ sms: true });
    const view = await sr.createSession(agent, 1203);
    const res = await sr.api(`/api/sessions/${view.sessionId}/invite/sms`, {
      method: 'POST',
      bearer: agent,
      json: { phoneNumber: '+44 7700 900123' },
    });
    expect(res.status).toBe(201);
    expect((await res.json()) as InviteSent).toMatchObject({ channel: 'sms', locale: 'en', to: '+44 ••• ••• 123' });

    const [message] = twilio.sent.slice(-1);
    expect(message!.accountSid).toBe(ACCOUNT);
    expect(message!.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:key-secret-value`).toString('base64')}`);
    expect(message!.form.get('To')).toBe('+447700900123');
    expect(message!.form.get('From')).toBe('+4915100000000');
    expect(message!.form.get('Body')).toBe(`Wilo support invites you to a video call: ${view.inviteUrl}`);
  });

  it('refuses malformed numbers itself and reports numbers Twilio refuses, sending nothing', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1203);
    const before = twilio.sent.length;
    const local = await sr.api(`/api/sessions/${view.sessionId}/invite/sms`, {
      method: 'POST',
      bearer: agent,
      json: { phoneNumber: '0151 234' },
    });
    expect(local.status).toBe(400);
    twilio.invalidNumbers.add('+15005550001');
    const refused = await sr.api(`/api/sessions/${view.sessionId}/invite/sms`, {
      method: 'POST',
      bearer: agent,
      json: { phoneNumber: '+15005550001' },
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('bad-phone-number');
    expect(twilio.sent.length).toBe(before);
  });

  it('reports account configuration errors as "SMS is misconfigured", not as a bad number', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1203);
    for (const [number, code] of [
      ['+15005550011', 21408],
      ['+15005550012', 21606],
      ['+15005550013', 21608],
      ['+15005550014', 21612],
    ] as const) {
      twilio.refusedFor.set(number, { code, message: 'Permission to send an SMS has not been enabled' });
      const res = await sr.api(`/api/sessions/${view.sessionId}/invite/sms`, {
        method: 'POST',
        bearer: agent,
        json: { phoneNumber: number },
      });
      expect(res.status, String(code)).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('sms-misconfigured');
    }
  });

  it('nothing is sent for an ended session', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1204);
    await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    const res = await sr.api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: agent });
    expect(res.status).toBe(410);
    expect((await sr.api(`/api/sessions/${view.sessionId}/invite/reply`, { bearer: agent })).status).toBe(410);
  });
});

describe('SMS delivery status', () => {
  async function sendSms(ticketId: number) {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, ticketId);
    const res = await sr.api(`/api/sessions/${view.sessionId}/invite/sms`, {
      method: 'POST',
      bearer: agent,
      json: { phoneNumber: '+44 7700 900123' },
    });
    expect(res.status).toBe(201);
    const sid = twilio.sent.at(-1)!.sid;
    const status = async () =>
      ((await (await sr.api(`/api/sessions/${view.sessionId}/invite/sms`, { bearer: agent })).json()) as SmsStatusView).sms;
    return { sid, status };
  }

  it('the agent sees "delivered" once Twilio reports it, and a late "sent" does not take it back', async () => {
    const { sid, status } = await sendSms(1203);
    expect(twilio.sent.at(-1)!.form.get('StatusCallback')).toBe('https://assist.example.com/api/delivery/twilio/sms-status');
    expect(await status()).toMatchObject({ state: 'sent', to: '+44 ••• ••• 123', errorCode: null });
    expect(await twilio.reportStatus(sid, 'sent')).toBe(204);
    expect(await twilio.reportStatus(sid, 'delivered')).toBe(204);
    expect(await status()).toMatchObject({ state: 'delivered', errorCode: null });
    // Twilio's callbacks can overtake each other and be retried.
    expect(await twilio.reportStatus(sid, 'sent')).toBe(204);
    expect(await twilio.reportStatus(sid, 'delivered')).toBe(204);
    expect(await twilio.reportStatus(sid, 'failed', { errorCode: 30003 })).toBe(204);
    expect(await status()).toMatchObject({ state: 'delivered', errorCode: null });
  });

  it('refuses a callback with a forged signature (403) and shows nothing from it', async () => {
    const { sid, status } = await sendSms(1203);
    expect(await twilio.reportStatus(sid, 'failed', { errorCode: 30005, signWith: 'not-the-auth-token' })).toBe(403);
    const unsigned = await fetch(`${sr.relay.url}/api/delivery/twilio/sms-status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ AccountSid: ACCOUNT, MessageSid: sid, MessageStatus: 'delivered' }).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect(await status()).toMatchObject({ state: 'sent' });
  });

  it("a failed SMS shows Twilio's error code (30003: unreachable handset), for the sidebar to explain", async () => {
    const { sid, status } = await sendSms(1203);
    expect(await twilio.reportStatus(sid, 'sending')).toBe(204);
    expect(await twilio.reportStatus(sid, 'failed', { errorCode: 30003 })).toBe(204);
    expect(await status()).toMatchObject({ state: 'failed', errorCode: 30003 });
  });
});

describe('agent API authorization', () => {
  it('customer tokens cannot call agent APIs', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1201);
    const { participantToken } = await joinedCustomer(sr, view, 'en-US');
    const asCustomer = (path: string, method = 'GET', json?: unknown) => sr.api(path, { method, bearer: participantToken, json });
    const attempts = await Promise.all([
      asCustomer('/api/sessions', 'POST', { ticketId: 1201 }),
      asCustomer(`/api/sessions/${view.sessionId}`),
      asCustomer(`/api/tickets/1201/session`),
      asCustomer(`/api/sessions/${view.sessionId}/end`, 'POST'),
      asCustomer(`/api/sessions/${view.sessionId}/note`),
      asCustomer(`/api/sessions/${view.sessionId}/invite/requester`, 'POST'),
      asCustomer(`/api/sessions/${view.sessionId}/invite/sms`, 'POST', { phoneNumber: '+447700900123' }),
      asCustomer('/api/invite-delivery'),
    ]);
    expect(attempts.map((r) => r.status)).toEqual(Array(8).fill(401));
    // The specialist's participant token is not an agent token either.
    expect((await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: view.specialistToken })).status).toBe(401);
    const still = await sr.api(`/api/sessions/${view.sessionId}`, { bearer: agent });
    expect(((await still.json()) as { status: string }).status).toBe('active');
  });

  it("an agent session of another helpdesk account cannot see or act on this account's sessions", async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1205);
    // A valid agent session, but signed in for another Zendesk account (written as the relay would).
    const foreign = randomToken();
    const db = new Database(join(sr.dataDir, 'relay.sqlite'));
    try {
      db.prepare(
        `INSERT INTO agent_sessions (token_hash, id, account, agent_id, agent_name, agent_email, created_at, expires_at)
         VALUES (?, ?, 'other.zendesk.com', '77', 'Eve Elsewhere', NULL, ?, ?)`,
      ).run(hashToken(foreign), 'agent-session-foreign', Date.now(), Date.now() + 3_600_000);
    } finally {
      db.close();
    }
    const statuses = await Promise.all([
      sr.api(`/api/sessions/${view.sessionId}`, { bearer: foreign }),
      sr.api('/api/tickets/1205/session', { bearer: foreign }),
      sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: foreign }),
      sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: foreign }),
      sr.api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: foreign }),
    ]).then((rs) => rs.map((r) => r.status));
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    const still = await sr.api(`/api/sessions/${view.sessionId}`, { bearer: agent });
    expect(((await still.json()) as { status: string }).status).toBe('active');
  });

  it("actions on a session go to that session's own ticket only", async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1201);
    // A ticket id in the body is ignored: the comment lands on the session's ticket.
    const res = await sr.api(`/api/sessions/${view.sessionId}/invite/requester`, {
      method: 'POST',
      bearer: agent,
      json: { ticketId: 1203 },
    });
    expect(res.status).toBe(201);
    expect((await ticketComments(sr, 1201)).filter((c) => c.html_body.includes(view.inviteUrl))).toHaveLength(1);
    expect((await ticketComments(sr, 1203)).filter((c) => c.html_body.includes(view.inviteUrl))).toHaveLength(0);
    // The ticket route only ever returns that ticket's session.
    const other = await sr.api('/api/tickets/1203/session', { bearer: agent });
    if (other.status === 200) expect(((await other.json()) as { sessionId: string }).sessionId).not.toBe(view.sessionId);
  });
});
