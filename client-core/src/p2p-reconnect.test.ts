import { describe, expect, it } from 'vitest';
import { FakeTrack } from './testing/fake-webrtc.js';
import { flush, setup } from './testing/p2p-harness.js';

/**
 * A page coming back on a new relay socket (relay restart, failover, a socket-only blip) keeps
 * the peer connection that carries the picture; another page (a reload, a second device) gets a
 * fresh one, as does a pair that was not settled when signaling went away.
 */

/** Specialist with the customer's page `phone-1` on connection c-1, answered and connected. */
async function specialistInCall() {
  const t = setup('specialist');
  t.channel.setPeer('customer', 'c-1', true, 'phone-1');
  await t.transport.connect(t.local);
  await flush();
  t.channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
  await flush();
  t.pcs[0]!.setIce('connected');
  t.pcs[0]!.setConnection('connected');
  expect(t.transport.state).toBe('connected');
  return t;
}

/** Customer who answered the specialist's page `desk-1` on connection s-1, connected, picture shown. */
async function customerInCall() {
  const t = setup('customer');
  const remote: Array<MediaStream | null> = [];
  t.transport.on('remoteStream', (s) => remote.push(s));
  t.channel.setPeer('specialist', 's-1', true, 'desk-1');
  await t.transport.connect(t.local);
  t.channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
  await flush();
  t.pcs[0]!.ontrack?.({ track: new FakeTrack('video') });
  t.pcs[0]!.setConnection('connected');
  expect(t.transport.state).toBe('connected');
  return { ...t, remote };
}

describe('P2P across a reconnect of the specialist (offerer)', () => {
  it('keeps the pair, offers nothing and stays connected when its own socket is welcomed again', async () => {
    const { channel, pcs, transport } = await specialistInCall();
    channel.welcome({ role: 'customer', connectionId: 'c-1', instanceId: 'phone-1' });
    await flush();
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.closed).toBe(false);
    expect(channel.signals()).toEqual([{ kind: 'offer', sdp: 'offer-from-pc-1' }]);
    expect(transport.state).toBe('connected');
  });

  it("keeps the pair when the customer's page is back on a new connection, and takes its signals for it", async () => {
    const { channel, pcs, transport } = await specialistInCall();
    channel.setPeer('customer', null, false);
    channel.setPeer('customer', 'c-2', true, 'phone-1');
    await flush();
    expect(pcs[0]!.closed).toBe(false);
    expect(channel.signals()).toHaveLength(1);
    expect(transport.state).toBe('connected');

    channel.signal('customer', 'c-2', { kind: 'ice', candidate: { candidate: 'candidate:from-c-2' } });
    await flush();
    expect(pcs[0]!.candidates).toEqual([{ candidate: 'candidate:from-c-2' }]);
    // The old connection is gone: what it still had in flight is not taken.
    channel.signal('customer', 'c-1', { kind: 'ice', candidate: { candidate: 'candidate:from-c-1' } });
    await flush();
    expect(pcs[0]!.candidates).toHaveLength(1);
  });

  it('offers afresh on a new pair when another page of the customer comes (a reload, a second phone)', async () => {
    const { channel, pcs } = await specialistInCall();
    channel.setPeer('customer', 'c-2', true, 'phone-2');
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: `offer-from-pc-${pcs.at(-1)!.id}` });
    // Signals of the new page go to the new pair only.
    channel.signal('customer', 'c-2', { kind: 'answer', sdp: 'answer-2' });
    await flush();
    expect(pcs.at(-1)!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-2' });
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-1' });
  });

  it('treats a customer page that does not name itself (an older client) as a new page, as before', async () => {
    const t = setup('specialist');
    t.channel.setPeer('customer', 'c-1');
    await t.transport.connect(t.local);
    await flush();
    t.pcs[0]!.setConnection('connected');
    t.channel.welcome({ role: 'customer', connectionId: 'c-1' });
    await flush();
    expect(t.pcs[0]!.closed).toBe(true);
    expect(t.channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: `offer-from-pc-${t.pcs.at(-1)!.id}` });
  });

  it('negotiates afresh when the pair had failed by the time its socket is welcomed again', async () => {
    const { channel, pcs, transport } = await specialistInCall();
    pcs[0]!.setConnection('failed');
    // The ICE restart it tried meanwhile went nowhere: the offer is still waiting for its answer.
    pcs[0]!.setIce('failed');
    await flush();
    expect(pcs[0]!.signalingState).toBe('have-local-offer');
    channel.welcome({ role: 'customer', connectionId: 'c-1', instanceId: 'phone-1' });
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    const fresh = pcs.at(-1)!;
    expect(fresh.closed).toBe(false);
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: `offer-from-pc-${fresh.id}` });
    expect(transport.state).toBe('reconnecting');
  });

  it('negotiates afresh when the pair failed with nothing in flight, too', async () => {
    const { channel, pcs } = await specialistInCall();
    pcs[0]!.setConnection('failed');
    channel.setPeer('customer', 'c-2', true, 'phone-1');
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: `offer-from-pc-${pcs.at(-1)!.id}` });
  });

  it('restarts ICE on the kept pair at once when it lost its path while signaling was away', async () => {
    const { channel, pcs } = await specialistInCall();
    pcs[0]!.setConnection('disconnected');
    channel.setPeer('customer', 'c-2', true, 'phone-1');
    await flush();
    expect(pcs[0]!.closed).toBe(false);
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: 'offer-from-pc-1', iceRestart: true });
    channel.signal('customer', 'c-2', { kind: 'answer', sdp: 'answer-restart' });
    await flush();
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-restart' });
  });

  it('renegotiates a pair whose first offer was still unanswered when signaling went away', async () => {
    const t = setup('specialist');
    t.channel.setPeer('customer', 'c-1', true, 'phone-1');
    await t.transport.connect(t.local);
    await flush();
    t.channel.setPeer('customer', 'c-2', true, 'phone-1');
    await flush();
    expect(t.pcs[0]!.closed).toBe(true);
    expect(t.channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: `offer-from-pc-${t.pcs.at(-1)!.id}` });
  });
});

describe('P2P across a reconnect of the customer (answerer)', () => {
  it("keeps the pair and the picture when the specialist's page is back on a new connection, and takes its signals", async () => {
    const { channel, pcs, transport, remote } = await customerInCall();
    channel.setPeer('specialist', null, false);
    channel.setPeer('specialist', 's-2', true, 'desk-1');
    expect(pcs[0]!.closed).toBe(false);
    expect(remote.at(-1)).not.toBeNull();
    expect(transport.state).toBe('connected');

    channel.signal('specialist', 's-2', { kind: 'ice', candidate: { candidate: 'candidate:from-s-2' } });
    channel.signal('specialist', 's-2', { kind: 'offer', sdp: 'offer-restart', iceRestart: true });
    await flush();
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.candidates).toContainEqual({ candidate: 'candidate:from-s-2' });
    expect(pcs[0]!.remoteDescription?.sdp).toBe('offer-restart');
    expect(channel.signals().at(-1)).toEqual({ kind: 'answer', sdp: 'answer-from-pc-1' });
  });

  it('keeps the pair when its own socket is welcomed again', async () => {
    const { channel, pcs, transport, remote } = await customerInCall();
    channel.welcome({ role: 'specialist', connectionId: 's-1', instanceId: 'desk-1' });
    expect(pcs[0]!.closed).toBe(false);
    expect(remote.at(-1)).not.toBeNull();
    expect(transport.state).toBe('connected');
    // The specialist, back as well (a relay restart): still the same pair.
    channel.setPeer('specialist', 's-2', true, 'desk-1');
    expect(pcs[0]!.closed).toBe(false);
  });

  it('follows a fresh offer from the same page with a new pair (the specialist chose to renegotiate)', async () => {
    const { channel, pcs } = await customerInCall();
    channel.setPeer('specialist', 's-2', true, 'desk-1');
    channel.signal('specialist', 's-2', { kind: 'offer', sdp: 'offer-2' });
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    expect(pcs[1]!.remoteDescription?.sdp).toBe('offer-2');
    expect(channel.signals().at(-1)).toEqual({ kind: 'answer', sdp: 'answer-from-pc-2' });
  });

  it("drops the pair for another specialist page and never takes that page's signals for the old pair", async () => {
    const { channel, pcs, transport, remote } = await customerInCall();
    channel.setPeer('specialist', 's-2', true, 'desk-2');
    expect(pcs[0]!.closed).toBe(true);
    expect(remote.at(-1)).toBeNull();
    expect(transport.state).toBe('reconnecting');
    // Its restart offer cannot belong to our pair: it is answered on a new one.
    channel.signal('specialist', 's-2', { kind: 'offer', sdp: 'offer-restart', iceRestart: true });
    await flush();
    expect(pcs).toHaveLength(2);
    expect(pcs[1]!.remoteDescription?.sdp).toBe('offer-restart');
  });

  it('drops the pair on its own re-welcome when the specialist page does not name itself (an older client)', async () => {
    const t = setup('customer');
    t.channel.setPeer('specialist', 's-1');
    await t.transport.connect(t.local);
    t.channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await flush();
    t.pcs[0]!.setConnection('connected');
    t.channel.welcome({ role: 'specialist', connectionId: 's-1' });
    expect(t.pcs[0]!.closed).toBe(true);
  });
});
