import { describe, expect, it, vi } from 'vitest';
import type { ClientToRelay, RelayToClient } from '@live-assist/protocol';
import { Emitter } from './emitter.js';
import type { RelaySocketEvents } from './socket.js';
import { FakePc, FakeStream, FakeTrack, resetPcCount } from './testing/fake-webrtc.js';
import { WatchForwarder, WatchReceiver, type WatchChannel } from './watch.js';

class FakeSocket implements WatchChannel {
  readonly sent: ClientToRelay[] = [];
  private readonly emitter = new Emitter<RelaySocketEvents>();
  send(frame: ClientToRelay): boolean {
    this.sent.push(frame);
    return true;
  }
  on<K extends 'frame' | 'welcome'>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }
  frame(frame: RelayToClient): void {
    this.emitter.emit('frame', frame);
  }
  welcome(): void {
    this.emitter.emit('welcome', {} as RelaySocketEvents['welcome']);
  }
  watchSignals() {
    return this.sent.flatMap((f) => (f.type === 'watch-signal' ? [f] : []));
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const observers = (...ids: string[]): RelayToClient => ({ type: 'observers', observers: ids.map((id) => ({ id, displayName: id })) });

function setup() {
  resetPcCount();
  const socket = new FakeSocket();
  const pcs: FakePc[] = [];
  const options = {
    socket,
    iceServers: [],
    createPeerConnection: () => {
      const pc = new FakePc();
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    createMediaStream: (tracks: MediaStreamTrack[]) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    logger: { warn: vi.fn() },
  };
  return { socket, pcs, options };
}

describe('WatchForwarder (the specialist’s console)', () => {
  it('offers the customer’s tracks to an observer who asks, send-only, and swaps them when the customer’s stream changes', async () => {
    const { socket, pcs, options } = setup();
    const forwarder = new WatchForwarder(options);
    const video = new FakeTrack('video');
    const audio = new FakeTrack('audio');
    forwarder.setSource(new FakeStream([video, audio]) as unknown as MediaStream);
    socket.frame(observers()); // the list after the console's own welcome: nobody yet
    socket.frame({ type: 'watch-request', observerId: 'o1' });
    await flush();

    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.transceivers.map((t) => [t.receiver.track.kind, t.direction, t.sender.track])).toEqual([
      ['video', 'sendonly', video],
      ['audio', 'sendonly', audio],
    ]);
    expect(socket.watchSignals()).toEqual([
      { type: 'watch-signal', observerId: 'o1', offerId: 1, signal: { kind: 'offer', sdp: 'offer-from-pc-1' } },
    ]);

    socket.frame({ type: 'watch-signal', observerId: 'o1', offerId: 1, signal: { kind: 'answer', sdp: 'answer-1' } });
    socket.frame({ type: 'watch-signal', observerId: 'o1', offerId: 1, signal: { kind: 'ice', candidate: { candidate: 'candidate:1' } } });
    await flush();
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'answer-1' });
    expect(pcs[0]!.candidates).toEqual([{ candidate: 'candidate:1' }]);

    // The customer reconnected with a new camera track: no new negotiation, the sender carries it.
    const newVideo = new FakeTrack('video');
    forwarder.setSource(new FakeStream([newVideo, audio]) as unknown as MediaStream);
    await flush();
    expect(pcs[0]!.transceivers[0]!.sender.track).toBe(newVideo);
    forwarder.setSource(null);
    await flush();
    expect(pcs[0]!.transceivers.map((t) => t.sender.track)).toEqual([null, null]);
  });

  it('a second request (the observer reloaded) replaces the connection; steps for the old offer are dropped', async () => {
    const { socket, pcs, options } = setup();
    new WatchForwarder(options);
    socket.frame(observers());
    socket.frame({ type: 'watch-request', observerId: 'o1' });
    socket.frame({ type: 'watch-request', observerId: 'o1' });
    await flush();
    expect(pcs.map((pc) => pc.closed)).toEqual([true, false]);
    socket.frame({ type: 'watch-signal', observerId: 'o1', offerId: 1, signal: { kind: 'answer', sdp: 'late answer' } });
    await flush();
    expect(pcs[1]!.remoteDescription).toBeNull();
    expect(socket.watchSignals().map((f) => f.offerId)).toEqual([1, 2]);
  });

  it('when the console opens it offers to everyone already watching, and closes the connection of an observer who left', async () => {
    const { socket, pcs, options } = setup();
    new WatchForwarder(options);
    socket.frame(observers('o1', 'o2'));
    await flush();
    expect(socket.watchSignals().map((f) => f.observerId)).toEqual(['o1', 'o2']);
    // A later change of the list offers to nobody new (a new observer asks by itself) …
    socket.frame(observers('o1', 'o2', 'o3'));
    await flush();
    expect(pcs).toHaveLength(2);
    // … but one who is gone loses their connection.
    socket.frame(observers('o2'));
    expect(pcs.map((pc) => pc.closed)).toEqual([true, false]);
    // A reconnect of the relay socket leaves the peer connections up: nothing to offer again.
    socket.welcome();
    socket.frame(observers('o2'));
    await flush();
    expect(pcs).toHaveLength(2);
    expect(pcs[1]!.closed).toBe(false);
  });

  it('an observer back on a new socket keeps the connection that is still up: nothing is negotiated again', async () => {
    const { socket, pcs, options } = setup();
    new WatchForwarder({ ...options, unlistedGraceMs: 60_000 });
    socket.frame(observers('o1'));
    await flush();
    pcs[0]!.setConnection('connected');
    // Their socket dropped (off the list), then they are back and name the offer they still have.
    socket.frame(observers());
    socket.frame(observers('o1'));
    socket.frame({ type: 'watch-request', observerId: 'o1', offerId: 1 });
    await flush();
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.closed).toBe(false);
    expect(socket.watchSignals()).toHaveLength(1);
  });

  it('so does one whose console reconnected too (a failover: the first list after the welcome lacks them)', async () => {
    const { socket, pcs, options } = setup();
    new WatchForwarder({ ...options, unlistedGraceMs: 60_000 });
    socket.frame(observers('o1'));
    await flush();
    pcs[0]!.setConnection('connected');
    socket.welcome();
    socket.frame(observers());
    await flush();
    expect(pcs[0]!.closed).toBe(false);
    socket.frame({ type: 'watch-request', observerId: 'o1', offerId: 1 });
    socket.frame(observers('o1'));
    await flush();
    expect(pcs).toHaveLength(1);
    expect(socket.watchSignals()).toHaveLength(1);
  });

  it('offers afresh when the connection they name is not this console’s current one, or not up', async () => {
    const { socket, pcs, options } = setup();
    new WatchForwarder(options);
    socket.frame(observers('o1'));
    await flush();
    socket.frame({ type: 'watch-request', observerId: 'o1', offerId: 1 });
    await flush();
    expect(pcs.map((pc) => pc.closed)).toEqual([true, false]);
    pcs[1]!.setConnection('connected');
    socket.frame({ type: 'watch-request', observerId: 'o1', offerId: 7 });
    await flush();
    expect(pcs.map((pc) => pc.closed)).toEqual([true, true, false]);
    expect(socket.watchSignals().map((f) => f.offerId)).toEqual([1, 2, 3]);
  });

  it('an observer who stays off the list loses the connection after the grace, at once if it goes down', async () => {
    const { socket, pcs, options } = setup();
    new WatchForwarder({ ...options, unlistedGraceMs: 30 });
    socket.frame(observers('o1', 'o2'));
    await flush();
    pcs[0]!.setConnection('connected');
    pcs[1]!.setConnection('connected');
    socket.frame(observers());
    expect(pcs.map((pc) => pc.closed)).toEqual([false, false]);
    pcs[1]!.setConnection('disconnected');
    expect(pcs[1]!.closed).toBe(true);
    await vi.waitFor(() => expect(pcs[0]!.closed).toBe(true));
  });

  it('close() ends every observer’s connection and ignores later frames', async () => {
    const { socket, pcs, options } = setup();
    const forwarder = new WatchForwarder(options);
    socket.frame(observers('o1'));
    await flush();
    forwarder.close();
    socket.frame({ type: 'watch-request', observerId: 'o2' });
    await flush();
    expect(pcs.map((pc) => pc.closed)).toEqual([true]);
  });
});

describe('WatchReceiver (an observer’s console)', () => {
  it('asks on every welcome, answers the offer and shows the tracks it receives', async () => {
    const { socket, pcs, options } = setup();
    const receiver = new WatchReceiver(options);
    const streams: Array<MediaStream | null> = [];
    receiver.on('remoteStream', (s) => streams.push(s));
    receiver.request();
    socket.welcome();
    expect(socket.sent).toEqual([{ type: 'watch-request' }, { type: 'watch-request' }]);

    socket.frame({ type: 'watch-signal', observerId: 'o1', offerId: 3, signal: { kind: 'offer', sdp: 'offer-3' } });
    socket.frame({ type: 'watch-signal', observerId: 'o1', offerId: 3, signal: { kind: 'ice', candidate: { candidate: 'candidate:a' } } });
    await flush();
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'offer', sdp: 'offer-3' });
    expect(pcs[0]!.candidates).toEqual([{ candidate: 'candidate:a' }]);
    expect(socket.watchSignals()).toEqual([{ type: 'watch-signal', offerId: 3, signal: { kind: 'answer', sdp: 'answer-from-pc-1' } }]);

    const video = new FakeTrack('video');
    pcs[0]!.ontrack?.({ track: video });
    expect(receiver.remoteStream?.getVideoTracks()).toEqual([video]);

    // Its own socket back while the picture still comes: it asks to keep this connection.
    pcs[0]!.setConnection('connected');
    socket.welcome();
    expect(socket.sent.at(-1)).toEqual({ type: 'watch-request', offerId: 3 });

    // A newer offer (the specialist's console reloaded) starts over; the old picture goes.
    socket.frame({ type: 'watch-signal', observerId: 'o1', offerId: 4, signal: { kind: 'offer', sdp: 'offer-4' } });
    await flush();
    expect(pcs[0]!.closed).toBe(true);
    expect(streams.at(-1)).toBeNull();
    receiver.close();
    expect(pcs[1]!.closed).toBe(true);
  });
});
