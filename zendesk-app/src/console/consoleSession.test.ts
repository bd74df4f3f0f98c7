import { describe, expect, it, vi } from 'vitest';
import {
  Emitter,
  type CallState,
  type CallTransport,
  type CallTransportEvents,
  type RelaySocketEvents,
  type RelaySocketStatus,
} from '@live-assist/client-core';
import type { MediaConfig, ParticipantState, Role, SessionView } from '@live-assist/protocol';
import type { AgentApi } from '../api/relayApi';
import { ConsoleSession, type ConsoleDeps, type ConsoleSocket } from './consoleSession';

function view(patch: Partial<SessionView> = {}): SessionView {
  return {
    sessionId: 'sess_0000000001',
    ticketId: 1201,
    status: 'active',
    inviteUrl: 'http://localhost/join/abc',
    expiresAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2029-12-31T00:00:00.000Z',
    endedAt: null,
    customerStage: 'waiting',
    customerConnected: false,
    specialistToken: 'spec-token',
    seat: { holder: 'Ada Agent', yours: true },
    ...patch,
  };
}

const customer = (patch: Partial<ParticipantState> = {}): ParticipantState => ({
  role: 'customer',
  connectionId: 'c1',
  connected: true,
  displayName: '',
  media: { camera: true, microphone: true },
  stage: 'in-call',
  ...patch,
});

class FakeSocket implements ConsoleSocket {
  readonly emitter = new Emitter<RelaySocketEvents>();
  status: RelaySocketStatus = 'idle';
  connected = false;
  closed = false;
  peers = new Map<Role, ParticipantState>();
  connect() {
    this.connected = true;
  }
  close() {
    this.closed = true;
  }
  send() {
    return true;
  }
  participant(role: Role) {
    return this.peers.get(role) ?? null;
  }
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void) {
    return this.emitter.on(event, handler);
  }
  welcome(media: MediaConfig = { mode: 'p2p', iceServers: [] }, participants: ParticipantState[] = []) {
    for (const p of participants) this.peers.set(p.role, p);
    this.emitter.emit('welcome', {
      type: 'welcome',
      protocolVersion: 1,
      sessionId: 'sess_0000000001',
      role: 'specialist',
      connectionId: 's1',
      media,
      participants,
    });
  }
}

class FakeTransport implements CallTransport {
  readonly mode = 'p2p' as const;
  readonly emitter = new Emitter<CallTransportEvents>();
  state: CallState = 'idle';
  localStream: MediaStream | null = null;
  remoteStream: MediaStream | null = null;
  cameraEnabled = true;
  microphoneEnabled = true;
  connectedWith: MediaStream | null = null;
  left = false;
  async connect(local: MediaStream) {
    this.connectedWith = local;
  }
  async setCameraEnabled() {}
  setMicrophoneEnabled() {}
  switchCamera = vi.fn(() => Promise.resolve());
  leave() {
    this.left = true;
  }
  on<K extends keyof CallTransportEvents>(event: K, handler: (payload: CallTransportEvents[K]) => void) {
    return this.emitter.on(event, handler);
  }
}

type FakeStream = MediaStream & { stopped: boolean };
function fakeStream(): FakeStream {
  const track = { stop: vi.fn(() => (stream.stopped = true)) };
  const stream = { stopped: false, getTracks: () => [track] } as unknown as FakeStream;
  return stream;
}

function setup(overrides: { api?: Partial<AgentApi>; media?: () => Promise<MediaStream>; transport?: FakeTransport | null } = {}) {
  const socket = new FakeSocket();
  const transport = overrides.transport === undefined ? new FakeTransport() : overrides.transport;
  const own = fakeStream();
  const empty = fakeStream();
  const api: AgentApi = {
    ticketSession: vi.fn(async () => view()),
    createSession: vi.fn(async () => view()),
    getSession: vi.fn(async () => view()),
    endSession: vi.fn(async () => view({ status: 'ended', endedAt: '2030-01-01T00:00:00.000Z' })),
    takeOver: vi.fn(async () => view({ seat: { holder: 'Thomas Berg', yours: true } })),
    observe: vi.fn(async () => ({ sessionId: 'sess_0000000001', ticketId: 1201, observerToken: 'watch-token', holder: 'Ada Agent' })),
    ...overrides.api,
  };
  const deps: ConsoleDeps = {
    api,
    createSocket: vi.fn(() => socket),
    createTransport: vi.fn(() => transport),
    acquireMedia: overrides.media ?? (async () => own),
    emptyStream: () => empty,
  };
  return { session: new ConsoleSession(deps), socket, transport, deps, api, own, empty };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ConsoleSession', () => {
  it('connects the specialist socket with the session token and starts the call after welcome', async () => {
    const { session, socket, transport, deps, own } = setup();
    await session.start(1201);
    expect(deps.createSocket).toHaveBeenCalledWith('spec-token');
    expect(socket.connected).toBe(true);
    expect(session.state.get().phase).toBe('connecting');

    socket.welcome();
    await flush();
    expect(session.state.get().phase).toBe('live');
    expect(transport?.connectedWith).toBe(own);
    expect(session.state.get()).toMatchObject({ ownMedia: 'ready', localStream: own });
  });

  it('tracks the customer from the welcome and from participant frames', async () => {
    const { session, socket } = setup();
    await session.start(1201);
    socket.welcome(undefined, [customer({ stage: 'consented', media: { camera: false, microphone: false } })]);
    expect(session.state.get().customer).toMatchObject({ stage: 'consented', media: { camera: false } });

    socket.emitter.emit('participant', customer({ media: { camera: true, microphone: false } }));
    expect(session.state.get().customer).toMatchObject({ stage: 'in-call', media: { camera: true, microphone: false } });

    // The specialist's own participant frames are not the customer.
    socket.emitter.emit('participant', { ...customer(), role: 'specialist', displayName: 'Agent' });
    expect(session.state.get().customer?.role).toBe('customer');
  });

  it('lists who is watching the call as the relay reports it', async () => {
    const { session, socket } = setup();
    await session.start(1201);
    socket.welcome();
    expect(session.state.get().observers).toEqual([]);
    socket.emitter.emit('frame', { type: 'observers', observers: [{ id: 'o1', displayName: 'Thomas Berg' }] });
    expect(session.state.get().observers).toEqual([{ id: 'o1', displayName: 'Thomas Berg' }]);
    socket.emitter.emit('frame', { type: 'observers', observers: [] });
    expect(session.state.get().observers).toEqual([]);
  });

  it("follows the customer's quality step (voice only shows as such) and forgets it when the phone goes", async () => {
    const { session, socket } = setup();
    await session.start(1201);
    socket.welcome(undefined, [customer()]);
    expect(session.state.get().customerStep).toBe('high');
    socket.emitter.emit('frame', { type: 'link-quality', from: 'customer', step: 'audio' });
    expect(session.state.get().customerStep).toBe('audio');
    // The console's own step is not the customer's.
    socket.emitter.emit('frame', { type: 'link-quality', from: 'specialist', step: 'low' });
    expect(session.state.get().customerStep).toBe('audio');
    socket.emitter.emit('participant', customer({ connected: false }));
    expect(session.state.get().customerStep).toBe('high');
  });

  it('watching: asks for a watch-only token, takes no camera, starts no call and cannot end the session', async () => {
    const media = vi.fn(async () => fakeStream() as unknown as MediaStream);
    const { session, socket, deps, api } = setup({
      api: { ticketSession: vi.fn(async () => view({ specialistToken: null, seat: { holder: 'Ada Agent', yours: false } })) },
      media,
    });
    await session.start(1201, true);
    expect(api.observe).toHaveBeenCalledWith('sess_0000000001');
    expect(deps.createSocket).toHaveBeenCalledWith('watch-token');
    socket.welcome(undefined, [customer()]);
    await flush();
    expect(session.state.get()).toMatchObject({ phase: 'live', observing: true, ownMedia: 'unavailable', customer: { role: 'customer' } });
    expect(deps.createTransport).not.toHaveBeenCalled();
    expect(media).not.toHaveBeenCalled();
    await session.end();
    expect(api.endSession).not.toHaveBeenCalled();
  });

  it('watching in P2P mode: asks the specialist’s console for the picture and shows what arrives; closes it at the end', async () => {
    const { session, socket, deps } = setup({
      api: { ticketSession: vi.fn(async () => view({ specialistToken: null, seat: { holder: 'Ada Agent', yours: false } })) },
    });
    const sink = { emitter: new Emitter<{ remoteStream: MediaStream | null }>(), request: vi.fn(), close: vi.fn() };
    deps.createWatchReceiver = vi.fn(() => ({
      request: sink.request,
      close: sink.close,
      on: (_: 'remoteStream', h: (s: MediaStream | null) => void) => sink.emitter.on('remoteStream', h),
    }));
    await session.start(1201, true);
    socket.welcome({ mode: 'p2p', iceServers: [{ urls: 'stun:stun.example.com' }] });
    socket.welcome(); // a reconnect: the receiver asks again by itself, no second receiver
    expect(deps.createWatchReceiver).toHaveBeenCalledTimes(1);
    expect(deps.createWatchReceiver).toHaveBeenCalledWith(socket, { mode: 'p2p', iceServers: [{ urls: 'stun:stun.example.com' }] });
    expect(sink.request).toHaveBeenCalledTimes(1);
    const picture = fakeStream();
    sink.emitter.emit('remoteStream', picture);
    expect(session.state.get()).toMatchObject({ observing: true, remoteStream: picture, call: 'connected' });
    socket.emitter.emit('session-ended', { type: 'session-ended', reason: 'ended-by-specialist' });
    expect(sink.close).toHaveBeenCalled();
  });

  it('P2P: the specialist’s console forwards the customer’s stream to observers as it changes', async () => {
    const { session, socket, deps, transport } = setup();
    const source = { setSource: vi.fn(), close: vi.fn() };
    deps.createWatchForwarder = vi.fn(() => source);
    await session.start(1201);
    socket.welcome();
    expect(deps.createWatchForwarder).toHaveBeenCalledWith(socket, { mode: 'p2p', iceServers: [] });
    const remote = fakeStream();
    transport!.emitter.emit('remoteStream', remote);
    transport!.emitter.emit('remoteStream', null);
    expect(source.setSource.mock.calls).toEqual([[null], [remote], [null]]);
    session.dispose();
    expect(source.close).toHaveBeenCalled();
  });

  it('watching in Twilio mode: joins the room with the watch token and an empty stream, sending nothing over the relay socket', async () => {
    const media = vi.fn(async () => fakeStream() as unknown as MediaStream);
    const { session, socket, deps, transport, empty } = setup({ media });
    await session.start(1201, true);
    socket.welcome({ mode: 'twilio', roomName: 'live-assist-sess_0000000001' });
    await flush();
    expect(deps.createTransport).toHaveBeenCalledWith(
      socket,
      { mode: 'twilio', roomName: 'live-assist-sess_0000000001' },
      'watch-token',
      true,
    );
    expect(transport?.connectedWith).toBe(empty);
    expect(media).not.toHaveBeenCalled();
    expect(session.state.get()).toMatchObject({ phase: 'live', observing: true });
  });

  it('watching: a call that ended in the meantime is shown as ended, without asking for a token', async () => {
    const { session, api } = setup({ api: { ticketSession: vi.fn(async () => view({ status: 'ended', specialistToken: null })) } });
    await session.start(1201, true);
    expect(session.state.get().phase).toBe('ended');
    expect(api.observe).not.toHaveBeenCalled();
  });

  it('keeps the customer location the relay reports', async () => {
    const { session, socket } = setup();
    await session.start(1201);
    socket.welcome();
    expect(session.state.get().location).toBeNull();
    const location = {
      outcome: 'shared' as const,
      latitude: 42.7,
      longitude: 23.3,
      accuracy: 12,
      capturedAt: '2030-01-01T00:00:00.000Z',
      recordedAt: '2030-01-01T00:00:01.000Z',
    };
    socket.emitter.emit('frame', { type: 'customer-location', location });
    expect(session.state.get().location).toEqual(location);
  });

  it('shows the remote stream and the call state the transport reports', async () => {
    const { session, socket, transport } = setup();
    await session.start(1201);
    socket.welcome();
    const remote = fakeStream();
    transport!.emitter.emit('state', 'connected');
    transport!.emitter.emit('remoteStream', remote);
    expect(session.state.get()).toMatchObject({ call: 'connected', remoteStream: remote });
    transport!.emitter.emit('remoteStream', null);
    expect(session.state.get().remoteStream).toBeNull();
  });

  it('still joins receive-only when the agent has no camera', async () => {
    const { session, socket, transport, empty } = setup({
      media: async () => {
        throw Object.assign(new Error('denied'), { name: 'NotAllowedError' });
      },
    });
    await session.start(1201);
    socket.welcome();
    await flush();
    expect(session.state.get().ownMedia).toBe('unavailable');
    expect(transport?.connectedWith).toBe(empty);
  });

  it('ends the session through the API, leaves the call and closes the socket', async () => {
    const { session, socket, transport, api } = setup();
    await session.start(1201);
    socket.welcome();
    await flush();
    await session.end();
    expect(api.endSession).toHaveBeenCalledWith('sess_0000000001');
    expect(session.state.get()).toMatchObject({ phase: 'ended', session: { status: 'ended' }, remoteStream: null });
    expect(transport?.left).toBe(true);
    expect(socket.closed).toBe(true);
  });

  it('goes to ended when the relay says the session ended (customer or expiry)', async () => {
    const { session, socket, transport, own } = setup();
    await session.start(1201);
    socket.welcome();
    await flush();
    socket.emitter.emit('session-ended', { type: 'session-ended', reason: 'ended-by-customer' });
    await flush();
    expect(session.state.get().phase).toBe('ended');
    expect(transport?.left).toBe(true);
    expect(own.stopped).toBe(true);
  });

  it('explains when another console window took over the session', async () => {
    const { session, socket } = setup();
    await session.start(1201);
    socket.welcome();
    socket.emitter.emit('closed', { code: 4409, reason: 'replaced' });
    expect(session.state.get()).toMatchObject({ phase: 'failed', problem: 'replaced' });
  });

  it('refuses a media mode it cannot play instead of pretending to connect', async () => {
    const { session, socket } = setup({ transport: null });
    await session.start(1201);
    socket.welcome({ mode: 'twilio', roomName: 'r' });
    expect(session.state.get()).toMatchObject({ phase: 'failed', problem: 'unsupported-media' });
    expect(socket.closed).toBe(true);
  });

  it('says so when the ticket has no session, without opening a socket', async () => {
    const { session, deps } = setup({ api: { ticketSession: vi.fn(async () => null) } });
    await session.start(1201);
    expect(session.state.get().phase).toBe('no-session');
    expect(deps.createSocket).not.toHaveBeenCalled();
  });

  it('shows an already ended session as ended without connecting', async () => {
    const { session, deps } = setup({ api: { ticketSession: vi.fn(async () => view({ status: 'ended' })) } });
    await session.start(1201);
    expect(session.state.get().phase).toBe('ended');
    expect(deps.createSocket).not.toHaveBeenCalled();
  });

  it('dispose leaves the call, closes the socket and releases a camera that arrives late', async () => {
    let resolveMedia: (s: MediaStream) => void = () => {};
    const late = fakeStream();
    const { session, socket, transport } = setup({ media: () => new Promise((resolve) => (resolveMedia = resolve)) });
    await session.start(1201);
    socket.welcome();
    session.dispose();
    resolveMedia(late);
    await flush();
    expect(transport?.left).toBe(true);
    expect(socket.closed).toBe(true);
    expect(transport?.connectedWith).toBeNull();
    expect(late.stopped).toBe(true);
  });
});
