import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { joinedCustomer, type Harness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';
import { TestSocket } from '../testing/ws-client.js';

describe('collaboration WebSocket', () => {
  let h: Harness;
  let agent: string;
  withHarness((s) => ({ h, agent } = s));

  async function session(ticketId = 1): Promise<{ view: SessionView; customer: JoinResponse }> {
    const view = await h.createSession(agent, ticketId);
    return { view, customer: await joinedCustomer(h, view) };
  }

  it('refuses upgrades without a token or with a bad one (401, no socket)', async () => {
    await expect(TestSocket.open(`${h.wsUrl('')}`)).rejects.toThrow('HTTP 401');
    await expect(TestSocket.open(h.wsUrl('A'.repeat(43)))).rejects.toThrow('HTTP 401');
    await expect(TestSocket.open(h.wsUrl('garbage'))).rejects.toThrow('HTTP 401');
  });

  it('welcome carries role, media config and participants; the other side learns of the connection', async () => {
    const { view, customer } = await session();
    const specialist = await TestSocket.open(h.wsUrl(view.specialistToken!));
    specialist.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    const welcome = await specialist.next('welcome');
    expect(welcome).toMatchObject({ role: 'specialist', sessionId: view.sessionId, media: { mode: 'p2p', iceServers: [] } });
    expect(welcome.participants.find((p) => p.role === 'customer')).toMatchObject({ connected: false, stage: 'consented' });

    const phone = await h.connect(customer.participantToken);
    const update = await specialist.next('participant');
    expect(update.participant).toMatchObject({ role: 'customer', connected: true });
    expect(update.participant.connectionId).toEqual(expect.any(String));
    specialist.close();
    phone.close();
  });

  it('relays an offer from the specialist to the customer with fromConnectionId, and the answer back', async () => {
    const { view, customer } = await session();
    const phone = await h.connect(customer.participantToken);
    const specialist = await TestSocket.open(h.wsUrl(view.specialistToken!));
    specialist.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    const welcome = await specialist.next('welcome');

    specialist.send({ type: 'signal', signal: { kind: 'offer', sdp: 'v=0 offer' } });
    const offer = await phone.next('signal');
    expect(offer).toEqual({
      type: 'signal',
      from: 'specialist',
      fromConnectionId: welcome.connectionId,
      signal: { kind: 'offer', sdp: 'v=0 offer' },
    });
    phone.send({ type: 'signal', signal: { kind: 'answer', sdp: 'v=0 answer' } });
    const answer = await specialist.next('signal');
    expect(answer).toMatchObject({ from: 'customer', signal: { kind: 'answer', sdp: 'v=0 answer' } });
    specialist.close();
    phone.close();
  });

  it('a signal without a peer gets a no-peer error', async () => {
    const { view } = await session();
    const specialist = await h.connect(view.specialistToken!);
    specialist.send({ type: 'signal', signal: { kind: 'offer', sdp: 'v=0' } });
    expect((await specialist.next('error')).code).toBe('no-peer');
    specialist.close();
  });

  it('frames before hello get hello-required; a wrong protocol version closes with 4400', async () => {
    const { view } = await session();
    const early = await TestSocket.open(h.wsUrl(view.specialistToken!));
    early.send({ type: 'ping', t: 1 });
    expect((await early.next('error')).code).toBe('hello-required');
    early.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 });
    expect((await early.next('error')).code).toBe('unsupported-version');
    expect(await early.closed()).toBe(4400);
  });

  it('bad frames get errors without harming the session; oversize frames close 4413; other sessions keep working', async () => {
    // Different tickets: a new session for the same ticket would end the earlier one.
    const a = await session(1);
    const b = await session(2);
    const phoneA = await h.connect(a.customer.participantToken);
    const specialistA = await h.connect(a.view.specialistToken!);
    const phoneB = await h.connect(b.customer.participantToken);
    const specialistB = await h.connect(b.view.specialistToken!);

    phoneA.send('{not json');
    expect((await phoneA.next('error')).code).toBe('bad-frame');
    phoneA.send({ type: 'signal', signal: { kind: 'offer' } });
    expect((await phoneA.next('error')).code).toBe('bad-frame');
    phoneA.send({ type: 'ping', t: 2 });
    expect((await phoneA.next('pong')).t).toBe(2);

    phoneA.send({ type: 'stage', stage: 'in-call', detail: 'x'.repeat(70 * 1024) });
    expect((await phoneA.next('error')).code).toBe('frame-too-large');
    expect(await phoneA.closed()).toBe(4413);
    expect((await specialistA.next('participant')).participant).toMatchObject({ role: 'customer', connected: false });

    // Session B is unaffected.
    specialistB.send({ type: 'signal', signal: { kind: 'offer', sdp: 'v=0 b' } });
    expect((await phoneB.next('signal')).signal).toEqual({ kind: 'offer', sdp: 'v=0 b' });
    phoneB.send({ type: 'ping', t: 3 });
    expect((await phoneB.next('pong')).t).toBe(3);
    for (const s of [specialistA, phoneB, specialistB]) s.close();
  });

  it('20 bad frames in a row close the socket with 4429', async () => {
    const { view } = await session();
    const specialist = await h.connect(view.specialistToken!);
    for (let i = 0; i < 20; i++) specialist.send('nope');
    expect(await specialist.closed()).toBe(4429);
    expect(specialist.frames.filter((f) => f.type === 'error')).toHaveLength(20);
  });

  it('a second socket with the same token replaces the first (4409)', async () => {
    const { customer, view } = await session();
    const specialist = await h.connect(view.specialistToken!);
    const first = await h.connect(customer.participantToken);
    const firstId = (await specialist.next('participant')).participant.connectionId;
    const second = await h.connect(customer.participantToken);
    expect(await first.closed()).toBe(4409);
    const update = await specialist.next('participant');
    expect(update.participant.connected).toBe(true);
    expect(update.participant.connectionId).not.toBe(firstId);
    second.send({ type: 'ping', t: 9 });
    expect((await second.next('pong')).t).toBe(9);
    second.close();
    specialist.close();
  });

  it('the specialist may not report customer stages', async () => {
    const { view } = await session();
    const specialist = await h.connect(view.specialistToken!);
    specialist.send({ type: 'stage', stage: 'in-call' });
    expect((await specialist.next('error')).code).toBe('forbidden');
    specialist.close();
  });

  it('a stage detail outside the known values is refused and never reaches the console', async () => {
    const { view, customer } = await session();
    const specialist = await h.connect(view.specialistToken!);
    const phone = await h.connect(customer.participantToken);
    await specialist.next('participant');
    phone.send({ type: 'stage', stage: 'permissions', detail: 'Call +359 888 000 000 for faster help' });
    expect((await phone.next('error')).code).toBe('bad-frame');
    phone.send({ type: 'stage', stage: 'permissions', detail: 'media-error:denied' });
    // Every participant update the console got, up to the first in the permissions stage.
    const details: (string | undefined)[] = [];
    for (;;) {
      const { participant } = await specialist.next('participant');
      details.push(participant.stageDetail);
      if (participant.stage === 'permissions') break;
    }
    expect(details.at(-1)).toBe('media-error:denied');
    expect(details.filter((d) => d?.startsWith('Call'))).toEqual([]);
    phone.close();
    specialist.close();
  });
});
