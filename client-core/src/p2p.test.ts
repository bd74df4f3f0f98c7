import { describe, expect, it, vi } from 'vitest';
import { FakeStream, FakeTrack } from './testing/fake-webrtc.js';
import { flush, setup } from './testing/p2p-harness.js';

describe('P2PTransport as customer (answerer)', () => {
  it('negotiates as soon as the offer arrives, before local media, and sends its tracks once they exist', async () => {
    const { channel, pcs, transport, local, audio, video } = setup('customer');
    channel.setPeer('specialist', 's-1');
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    channel.signal('specialist', 's-1', { kind: 'ice', candidate: { candidate: 'candidate:1' } });
    await flush();

    // Answered while the customer is still on the steps before the call: nothing is sent yet.
    expect(pcs).toHaveLength(1);
    const pc = pcs[0]!;
    expect(pc.remoteDescription).toEqual({ type: 'offer', sdp: 'offer-1' });
    expect(pc.candidates).toEqual([{ candidate: 'candidate:1' }]);
    expect(channel.signals()).toEqual([{ kind: 'answer', sdp: 'answer-from-pc-1' }]);
    expect(pc.transceivers.map((t) => [t.direction, t.sender.track])).toEqual([
      ['sendrecv', null],
      ['sendrecv', null],
    ]);
    // Its encoder is set to start small already, so the camera only has its tracks to hand over.
    expect(pc.transceivers[1]!.encodings).toEqual([expect.objectContaining({ scaleResolutionDownBy: 2 })]);
    pc.setConnection('connected');

    await transport.connect(local);
    await flush();

    // The same pair carries the camera and microphone: no second pc, no new offer or answer.
    expect(pcs).toHaveLength(1);
    expect(pc.transceivers.map((t) => [t.direction, t.sender.track])).toEqual([
      ['sendrecv', audio],
      ['sendrecv', video],
    ]);
    expect(channel.signals()).toHaveLength(1);
    expect(transport.state).toBe('connected');
    expect(channel.sent.find((f) => f.type === 'media-state')).toEqual({ type: 'media-state', media: { camera: true, microphone: true } });
    // Its first frames go out at half size, which a link's starting estimate carries at once.
    expect(pc.transceivers[1]!.encodings).toEqual([expect.objectContaining({ active: true, scaleResolutionDownBy: 2 })]);
  });

  it("ignores offers and candidates from the specialist's previous connection", async () => {
    const { channel, pcs, transport, local } = setup('customer');
    channel.setPeer('specialist', 's-2');
    await transport.connect(local);
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'stale' });
    await flush();
    expect(pcs).toHaveLength(0);
    expect(channel.signals()).toEqual([]);
  });

  it('replaces its peer connection when the specialist reconnects with a new connection', async () => {
    const { channel, pcs, transport, local } = setup('customer');
    const remote: Array<MediaStream | null> = [];
    transport.on('remoteStream', (s) => remote.push(s));
    channel.setPeer('specialist', 's-1');
    await transport.connect(local);
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await flush();
    pcs[0]!.ontrack?.({ track: new FakeTrack('video') });
    pcs[0]!.setConnection('connected');
    expect(transport.state).toBe('connected');

    channel.setPeer('specialist', 's-2');
    expect(pcs[0]!.closed).toBe(true);
    expect(remote.at(-1)).toBeNull();
    expect(transport.state).toBe('reconnecting');

    channel.signal('specialist', 's-2', { kind: 'offer', sdp: 'offer-2' });
    await flush();
    expect(pcs).toHaveLength(2);
    expect(pcs[1]!.remoteDescription?.sdp).toBe('offer-2');
    expect(channel.signals().at(-1)).toEqual({ kind: 'answer', sdp: 'answer-from-pc-2' });
  });

  it('keeps the same peer connection for an ICE-restart offer', async () => {
    const { channel, pcs, transport, local } = setup('customer');
    channel.setPeer('specialist', 's-1');
    await transport.connect(local);
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await flush();
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-restart', iceRestart: true });
    await flush();
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.remoteDescription?.sdp).toBe('offer-restart');
    expect(channel.signals()).toHaveLength(2);
  });

  it('turning the camera off stops the track and sends nothing; on re-acquires with the same constraints', async () => {
    const newVideo = new FakeTrack('video');
    const getUserMedia = vi.fn(async () => new FakeStream([newVideo]) as unknown as MediaStream);
    const { channel, pcs, transport, local, video } = setup('customer', { getUserMedia });
    channel.setPeer('specialist', 's-1');
    await transport.connect(local);
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await flush();
    const videoSender = pcs[0]!.transceivers[1]!.sender;

    await transport.setCameraEnabled(false);
    expect(video.readyState).toBe('ended');
    expect(videoSender.track).toBeNull();
    expect(transport.cameraEnabled).toBe(false);
    expect(transport.localStream?.getVideoTracks()).toEqual([]);
    expect(channel.sent.at(-1)).toEqual({ type: 'media-state', media: { camera: false, microphone: true } });

    await transport.setCameraEnabled(true);
    expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: { ideal: 'environment' } } });
    expect(videoSender.track).toBe(newVideo);
    expect(transport.localStream?.getVideoTracks()).toEqual([newVideo]);
    expect(channel.sent.at(-1)).toEqual({ type: 'media-state', media: { camera: true, microphone: true } });
  });

  it('a double tap on "camera on" opens the camera only once', async () => {
    const getUserMedia = vi.fn(async () => new FakeStream([new FakeTrack('video')]) as unknown as MediaStream);
    const { transport, local } = setup('customer', { getUserMedia });
    await transport.connect(local);
    await transport.setCameraEnabled(false);
    await Promise.all([transport.setCameraEnabled(true), transport.setCameraEnabled(true)]);
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    expect(transport.localStream?.getVideoTracks()).toHaveLength(1);
  });

  it('mute disables the microphone track and reports it', async () => {
    const { channel, transport, local, audio } = setup('customer');
    await transport.connect(local);
    transport.setMicrophoneEnabled(false);
    expect(audio.enabled).toBe(false);
    expect(channel.sent.at(-1)).toEqual({ type: 'media-state', media: { camera: true, microphone: false } });
    transport.setMicrophoneEnabled(true);
    expect(audio.enabled).toBe(true);
  });

  it('leave stops every local track and closes the peer connection', async () => {
    const { channel, pcs, transport, local, audio, video } = setup('customer');
    channel.setPeer('specialist', 's-1');
    await transport.connect(local);
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await flush();
    transport.leave();
    expect([audio.readyState, video.readyState]).toEqual(['ended', 'ended']);
    expect(pcs[0]!.closed).toBe(true);
    expect(transport.state).toBe('disconnected');
  });
});

describe('P2PTransport as specialist (offerer)', () => {
  it('offers once per customer connection and applies the answer', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    channel.setPeer('customer', 'c-1');
    await transport.connect(local);
    await flush();
    expect(channel.signals()).toEqual([{ kind: 'offer', sdp: 'offer-from-pc-1' }]);

    channel.setPeer('customer', 'c-1');
    await flush();
    expect(pcs).toHaveLength(1);

    channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
    await flush();
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-1' });

    channel.setPeer('customer', 'c-2');
    await flush();
    expect(pcs).toHaveLength(2);
    expect(pcs[0]!.closed).toBe(true);
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: 'offer-from-pc-2' });
  });

  it('makes the offer before the customer arrives and sends it, with its candidates, the moment they connect', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    await transport.connect(local);
    await flush();
    // Prepared while nobody is there: an offer as local description, candidates kept back.
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.localDescription).toEqual({ type: 'offer', sdp: 'offer-from-pc-1' });
    const candidate = { candidate: 'candidate:warm', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' };
    pcs[0]!.onicecandidate?.({ candidate: { ...candidate, toJSON: () => candidate } });
    expect(channel.signals()).toEqual([]);

    channel.setPeer('customer', 'c-1');
    await flush();
    expect(pcs).toHaveLength(1);
    expect(channel.signals()).toEqual([
      { kind: 'offer', sdp: 'offer-from-pc-1' },
      { kind: 'ice', candidate },
    ]);
    channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
    await flush();
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-1' });
    // The specialist's camera also starts at half size.
    expect(pcs[0]!.transceivers.map((t) => [t.receiver.track.kind, t.encodings[0]!.scaleResolutionDownBy])).toEqual([
      ['audio', undefined],
      ['video', 2],
    ]);
  });

  it('hands the prepared offer to the relay once its candidates are in; a connection that took it is answered, not offered to again', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    await transport.connect(local);
    await flush();
    const aheads = () => channel.sent.filter((f) => f.type === 'offer-ahead');
    // Still gathering: the candidates to come would have nowhere to go.
    expect(aheads()).toEqual([]);
    pcs[0]!.gathered();
    await flush();
    expect(aheads()).toEqual([{ type: 'offer-ahead', id: expect.any(String), sdp: 'offer-from-pc-1' }]);
    const { id } = aheads()[0] as { id: string };

    channel.aheadTaken(id, 'c-1');
    channel.setPeer('customer', 'c-1');
    await flush();
    expect(pcs).toHaveLength(1);
    expect(channel.signals()).toEqual([]);
    channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
    await flush();
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-1' });
  });

  it('offers itself to a connection that did not take the offer made ahead; while it keeps a pair, the offer ahead is not for that page', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    await transport.connect(local);
    await flush();
    pcs[0]!.gathered();
    await flush();
    const aheads = () => channel.sent.filter((f) => f.type === 'offer-ahead');
    expect(aheads()).toHaveLength(1);
    // Taken by another connection (not this customer's): this one gets the offer from here.
    channel.aheadTaken('offer-elsewhere', 'c-0');
    channel.setPeer('customer', 'c-1', true, 'page-a');
    await flush();
    expect(channel.signals()).toEqual([{ kind: 'offer', sdp: 'offer-from-pc-1' }]);
    channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
    await flush();

    // The customer drops: their pair is kept for their return, and the next offer, prepared and
    // handed ahead, is for any other page (a reload, another device), not theirs.
    channel.setPeer('customer', null, false);
    await flush();
    expect(pcs).toHaveLength(2);
    pcs[1]!.gathered();
    await flush();
    expect(aheads()).toHaveLength(2);
    expect(aheads()[1]).toMatchObject({ sdp: 'offer-from-pc-2', notFor: 'page-a' });
    expect(pcs[0]!.closed).toBe(false);
    // Another page takes it: the kept pair goes, the prepared one is theirs, and no offer is sent.
    channel.aheadTaken((aheads()[1] as { id: string }).id, 'c-2');
    channel.setPeer('customer', 'c-2', true, 'page-b');
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    expect(channel.signals()).toHaveLength(1);
    channel.signal('customer', 'c-2', { kind: 'answer', sdp: 'answer-2' });
    await flush();
    expect(pcs[1]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-2' });
  });

  it('the camera changing before the customer comes changes the prepared offer’s track, not the offer', async () => {
    const newVideo = new FakeTrack('video');
    const getUserMedia = vi.fn(async () => new FakeStream([newVideo]) as unknown as MediaStream);
    const { channel, pcs, transport, local } = setup('specialist', { getUserMedia });
    await transport.connect(local);
    await flush();
    pcs[0]!.gathered();
    await flush();
    const video = pcs[0]!.transceivers.find((t) => t.receiver.track.kind === 'video')!;
    await transport.setCameraEnabled(false);
    expect(video.sender.track).toBeNull();
    await transport.setCameraEnabled(true);
    await flush();
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.closed).toBe(false);
    expect(video.sender.track).toBe(newVideo);
    expect(channel.sent.filter((f) => f.type === 'offer-ahead')).toHaveLength(1);
  });

  it('prepares the next offer when the customer drops, and keeps the old pair until they are back', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    channel.setPeer('customer', 'c-1');
    await transport.connect(local);
    await flush();
    expect(pcs).toHaveLength(1);

    channel.setPeer('customer', null, false);
    await flush();
    expect(pcs).toHaveLength(2);
    expect(pcs[0]!.closed).toBe(false);
    expect(channel.signals()).toHaveLength(1);

    channel.setPeer('customer', 'c-2');
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    expect(pcs).toHaveLength(2);
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: 'offer-from-pc-2' });
  });

  it('restarts ICE when the connection fails', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    channel.setPeer('customer', 'c-1');
    await transport.connect(local);
    await flush();
    channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
    await flush();
    pcs[0]!.setIce('failed');
    await flush();
    expect(pcs[0]!.offerOptions.at(-1)).toEqual({ iceRestart: true });
    expect(channel.signals().at(-1)).toEqual({ kind: 'offer', sdp: 'offer-from-pc-1', iceRestart: true });
  });

  it('restarts ICE only after it stays disconnected for the grace period', async () => {
    const { channel, pcs, transport, local } = setup('specialist');
    channel.setPeer('customer', 'c-1');
    await transport.connect(local);
    await flush();
    channel.signal('customer', 'c-1', { kind: 'answer', sdp: 'answer-1' });
    await flush();
    pcs[0]!.setIce('disconnected');
    pcs[0]!.setIce('connected');
    await new Promise((r) => setTimeout(r, 40));
    expect(channel.signals()).toHaveLength(1);
    pcs[0]!.setIce('disconnected');
    await new Promise((r) => setTimeout(r, 40));
    expect(channel.signals().at(-1)).toMatchObject({ iceRestart: true });
  });
});
