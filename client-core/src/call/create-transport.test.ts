import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientToRelay, MediaConfig, Role } from '@live-assist/protocol';
import type { SignalingChannel } from '../p2p.js';
import { FakeStream, FakeTrack } from '../testing/fake-webrtc.js';
import { createCallTransport, type CreateCallTransportOptions } from './create-transport.js';

// Twilio stands for a room that never answers: enough to see what a join asks the relay for.
vi.mock('../twilio/sdk.js', () => ({
  loadTwilioVideo: async () => ({ isSupported: true, connect: () => new Promise(() => undefined) }),
}));

/** Records what is sent; nothing in these tests arrives from the relay. */
function fakeSocket() {
  const sent: ClientToRelay[] = [];
  const socket: SignalingChannel = { send: (frame) => sent.push(frame) > 0, participant: () => null, on: () => () => undefined };
  return { socket, sent };
}

const CAMERA = { facingMode: { ideal: 'user' }, width: { ideal: 640 } };

function options(media: CreateCallTransportOptions['media'], extra: Partial<CreateCallTransportOptions> = {}) {
  const { socket, sent } = fakeSocket();
  const base: CreateCallTransportOptions = {
    media,
    role: 'specialist' as Role,
    socket,
    relayUrl: 'https://relay.example/prefix/',
    participantToken: 'p-token',
    videoConstraints: CAMERA,
  };
  return { sent, options: { ...base, ...extra } };
}

const p2p: MediaConfig = { mode: 'p2p', iceServers: [] };
const twilio: MediaConfig = { mode: 'twilio', roomName: 'room-1' };
const localStream = () => new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]) as unknown as MediaStream;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createCallTransport', () => {
  it('makes a P2P transport that reopens the camera with the constraints it was given', async () => {
    const getUserMedia = vi.fn(async () => new FakeStream([new FakeTrack('video')]) as unknown as MediaStream);
    vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
    vi.stubGlobal('MediaStream', FakeStream);
    // The customer: no peer connection before the specialist's offer, which this test never sends.
    const { sent, options: o } = options(p2p, { role: 'customer' });
    const transport = createCallTransport(o);
    expect(transport?.mode).toBe('p2p');

    await transport!.connect(localStream());
    await transport!.setCameraEnabled(false);
    await transport!.setCameraEnabled(true);
    expect(getUserMedia).toHaveBeenCalledWith({ video: CAMERA });
    expect(sent.at(-1)).toEqual({ type: 'media-state', media: { camera: true, microphone: true } });
    transport!.leave();
  });

  it('has no P2P transport for an observer', () => {
    expect(createCallTransport(options(p2p, { watchOnly: true }).options)).toBeNull();
  });

  it('makes a Twilio transport that asks the relay for its token and reports media on the socket', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ token: 'jwt', roomName: 'room-1' })));
    vi.stubGlobal('fetch', fetch);
    const { sent, options: o } = options(twilio);
    const transport = createCallTransport(o);
    expect(transport?.mode).toBe('twilio');

    void transport!.connect(localStream());
    expect(sent).toEqual([{ type: 'media-state', media: { camera: true, microphone: true } }]);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(fetch).toHaveBeenCalledWith(
      'https://relay.example/prefix/api/media/twilio-token',
      expect.objectContaining({ method: 'POST', headers: expect.objectContaining({ Authorization: 'Bearer p-token' }) }),
    );
    transport!.leave();
  });

  it('sends nothing over an observer’s socket in Twilio, which the relay would refuse', () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 503 })),
    );
    const { sent, options: o } = options(twilio, { watchOnly: true });
    const transport = createCallTransport(o);
    expect(transport?.mode).toBe('twilio');
    void transport!.connect(localStream());
    transport!.setMicrophoneEnabled(false);
    expect(sent).toEqual([]);
    transport!.leave();
  });
});
