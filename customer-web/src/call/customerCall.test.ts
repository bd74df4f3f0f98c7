import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, type CameraFacing, type InviteView, type LocationReport, type MediaConfig } from '@live-assist/protocol';
import {
  CallState,
  Emitter,
  MediaAccessError,
  RelaySocket,
  type CallTransport,
  type CallTransportEvents,
  type SocketHandlers,
} from '@live-assist/client-core';
import type { ApiResult, CustomerApi } from './api.js';
import { createCustomerCall, locationStorageKey, seatStorageKey, type CustomerCallDeps } from './customerCall.js';
import type { InAppBrowser } from './browserInfo.js';

const INVITE: InviteView = {
  sessionId: 'session-1234',
  expiresAt: '2030-01-01T00:00:00.000Z',
  branding: {
    companyName: 'Wilo',
    logoUrl: null,
    primaryColor: '#009c82',
    policyUrl: 'https://wilo.example/privacy',
    policyVersion: 'v3',
    exitUrl: 'https://www.wilo.com/',
    exitDelaySeconds: 3,
  },
};

class FakeWire {
  readonly sent: Array<Record<string, unknown>> = [];
  closed: number | undefined;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number) {
    this.closed = code;
  }
  welcome(media: MediaConfig = { mode: 'p2p', iceServers: [] }) {
    this.handlers.onOpen();
    this.handlers.onMessage(
      JSON.stringify({
        type: 'welcome',
        protocolVersion: PROTOCOL_VERSION,
        sessionId: INVITE.sessionId,
        role: 'customer',
        connectionId: 'c-1',
        media,
        participants: [
          {
            role: 'specialist',
            connectionId: 's-1',
            connected: true,
            displayName: 'Maria Ivanova',
            media: { camera: true, microphone: true },
          },
        ],
      }),
    );
  }
  stages() {
    return this.sent.filter((f) => f.type === 'stage');
  }
}

class FakeTransport implements CallTransport {
  readonly mode = 'p2p' as const;
  state: CallState = CallState.idle;
  localStream: MediaStream | null = null;
  remoteStream: MediaStream | null = null;
  cameraEnabled = true;
  microphoneEnabled = true;
  left = false;
  prepare?: () => Promise<boolean>;
  readonly emitter = new Emitter<CallTransportEvents>();
  connect = vi.fn(async (local: MediaStream) => {
    this.localStream = local;
  });
  async setCameraEnabled(enabled: boolean) {
    this.cameraEnabled = enabled;
  }
  setMicrophoneEnabled(enabled: boolean) {
    this.microphoneEnabled = enabled;
  }
  switchCamera = vi.fn((_facing: CameraFacing) => Promise.resolve());
  leave() {
    this.left = true;
  }
  on<K extends keyof CallTransportEvents>(event: K, handler: (payload: CallTransportEvents[K]) => void) {
    return this.emitter.on(event, handler);
  }
}

const fakeStream = () => {
  const tracks = [
    { kind: 'audio', stop: vi.fn() },
    { kind: 'video', stop: vi.fn(), getSettings: () => ({ facingMode: 'environment' }) },
  ];
  return {
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  } as unknown as MediaStream;
};

function setup(
  options: {
    invite?: ApiResult<InviteView>;
    join?: ApiResult<{ sessionId: string; participantToken: string }>;
    storage?: Map<string, string>;
    inAppBrowser?: InAppBrowser;
    /** What the transport's `prepare()` answers (engines that load on demand); none by default. */
    prepare?: () => Promise<boolean>;
    accepted?: InviteView;
    linkFailure?: CustomerCallDeps['linkFailure'];
    /** The browser already holds the camera and microphone permission (a returning customer). */
    mediaPermission?: boolean;
  } = {},
) {
  const wires: FakeWire[] = [];
  const transports: FakeTransport[] = [];
  const storageMap = options.storage ?? new Map<string, string>();
  const api: CustomerApi = {
    getInvite: vi.fn(async () => options.invite ?? { ok: true as const, value: INVITE }),
    join: vi.fn(async () => options.join ?? { ok: true as const, value: { sessionId: INVITE.sessionId, participantToken: 'pt-1' } }),
    endCall: vi.fn(async () => ({ ok: true as const, value: null })),
  };
  const locate = vi.fn(async (): Promise<LocationReport> => ({ outcome: 'denied' }));
  const acquireMedia = vi.fn(async () => ({ stream: fakeStream(), videoConstraints: {} }));
  const redirect = vi.fn();
  const deps: CustomerCallDeps = {
    inviteToken: 'invite-token-1',
    api,
    storage: {
      getItem: (k) => storageMap.get(k) ?? null,
      setItem: (k, v) => void storageMap.set(k, v),
      removeItem: (k) => void storageMap.delete(k),
    },
    openSocket: (token) =>
      new RelaySocket({
        wsBase: 'ws://relay.test',
        token,
        heartbeatMs: 0,
        logger: { warn: () => undefined },
        factory: (url, handlers) => {
          const wire = new FakeWire(url, handlers);
          wires.push(wire);
          return wire;
        },
      }),
    createTransport: (media) => {
      if (media.mode !== 'p2p') return null;
      const t = new FakeTransport();
      if (options.prepare) t.prepare = vi.fn(options.prepare);
      transports.push(t);
      return t;
    },
    acquireMedia,
    hasMediaPermission: async () => options.mediaPermission ?? false,
    locate,
    inAppBrowser: () => options.inAppBrowser ?? null,
    locale: () => 'bg',
    consentText: (invite) => `Приемам политиката (версия ${invite.branding.policyVersion})`,
    redirect,
    ...(options.accepted ? { accepted: options.accepted } : {}),
    ...(options.linkFailure ? { linkFailure: options.linkFailure } : {}),
  };
  const call = createCustomerCall(deps);
  /** Consents and answers the location step with `Don't share`. */
  const join = async () => {
    await call.accept();
    await call.declineLocation();
  };
  return { call, api, wires, transports, storageMap, acquireMedia, redirect, locate, join, wire: () => wires.at(-1)! };
}

describe('customer call journey', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each([
    ['not-found', 'not-found'],
    ['expired', 'expired'],
    ['network', 'network'],
  ] as const)('shows the invalid-link screen when the invite lookup fails with %s', async (failure, reason) => {
    const { call } = setup({ invite: { ok: false, failure } });
    await call.start();
    expect(call.getSnapshot()).toMatchObject({ screen: 'invalid', invalidReason: reason });
  });

  it('explains a link the first screen already found not working without asking again, and asks on Try again', async () => {
    const { call, api } = setup({ linkFailure: 'ended' });
    await call.start();
    expect(call.getSnapshot()).toMatchObject({ screen: 'invalid', invalidReason: 'ended' });
    expect(api.getInvite).not.toHaveBeenCalled();
    await call.start();
    expect(api.getInvite).toHaveBeenCalledTimes(1);
    expect(call.getSnapshot().screen).toBe('consent');
  });

  it('joins at once with the invite the first screen loaded and the customer accepted there', async () => {
    const { call, api } = setup({ accepted: { ...INVITE, branding: { ...INVITE.branding, policyVersion: 'v9' } } });
    await call.start();
    expect(api.getInvite).not.toHaveBeenCalled();
    expect(api.join).toHaveBeenCalledWith('invite-token-1', {
      acceptedPolicy: true,
      policyVersion: 'v9',
      locale: 'bg',
      consentText: 'Приемам политиката (версия v9)',
    });
    expect(call.getSnapshot().screen).toBe('location');
  });

  it('asks for consent first, then joins with the policy version and keeps the seat for reloads', async () => {
    const { call, api, storageMap, wire } = setup();
    await call.start();
    expect(call.getSnapshot().screen).toBe('consent');
    await call.accept();
    expect(api.join).toHaveBeenCalledWith('invite-token-1', {
      acceptedPolicy: true,
      policyVersion: 'v3',
      locale: 'bg',
      consentText: 'Приемам политиката (версия v3)',
    });
    expect(storageMap.get(seatStorageKey('invite-token-1'))).toBe('pt-1');
    expect(call.getSnapshot().screen).toBe('location');
    expect(wire().url).toBe('ws://relay.test/ws?token=pt-1');
    wire().welcome();
    expect(wire().stages()).toEqual([]);
    await call.declineLocation();
    expect(call.getSnapshot()).toMatchObject({ screen: 'permissions', locationOutcome: 'declined' });
    expect(wire().sent.filter((f) => f.type === 'location')).toEqual([{ type: 'location', location: { outcome: 'declined' } }]);
    expect(wire().stages()).toEqual([{ type: 'stage', stage: 'permissions' }]);
  });

  it('sends a shared position and goes on to the camera step', async () => {
    const { call, wire, locate } = setup();
    locate.mockResolvedValueOnce({ outcome: 'shared', latitude: 42.7, longitude: 23.3, accuracy: 20, capturedAt: 5 });
    await call.start();
    await call.accept();
    wire().welcome();
    await call.shareLocation();
    expect(wire().sent.filter((f) => f.type === 'location')).toEqual([
      { type: 'location', location: { outcome: 'shared', latitude: 42.7, longitude: 23.3, accuracy: 20, capturedAt: 5 } },
    ]);
    expect(call.getSnapshot()).toMatchObject({ screen: 'permissions', locationOutcome: 'shared' });
  });

  it('goes on to the camera step when the browser refuses the location', async () => {
    const { call, wire } = setup();
    await call.start();
    await call.accept();
    wire().welcome();
    await call.shareLocation();
    expect(wire().sent.find((f) => f.type === 'location')).toEqual({ type: 'location', location: { outcome: 'denied' } });
    expect(call.getSnapshot()).toMatchObject({ screen: 'permissions', locationOutcome: 'denied' });
  });

  it('tells the specialist when the page runs in an in-app browser', async () => {
    const { call, join, wire } = setup({ inAppBrowser: 'facebook' });
    await call.start();
    await join();
    wire().welcome();
    expect(wire().stages().at(-1)).toEqual({ type: 'stage', stage: 'permissions', detail: 'in-app-browser:facebook' });
  });

  it('knows who is watching the call, and that they left', async () => {
    const { call, join, wire } = setup();
    await call.start();
    await join();
    wire().welcome();
    const observers = (names: string[]) =>
      wire().handlers.onMessage(
        JSON.stringify({ type: 'observers', observers: names.map((displayName, i) => ({ id: `o${i}`, displayName })) }),
      );
    expect(call.getSnapshot().watching).toEqual([]);
    observers(['Thomas Berg']);
    expect(call.getSnapshot().watching).toEqual(['Thomas Berg']);
    observers(['Thomas Berg', 'Eva Koch']);
    expect(call.getSnapshot().watching).toEqual(['Thomas Berg', 'Eva Koch']);
    observers([]);
    expect(call.getSnapshot().watching).toEqual([]);
  });

  it('a reload takes the same seat back without asking for consent again', async () => {
    const storage = new Map([[seatStorageKey('invite-token-1'), 'pt-old']]);
    const { call, api } = setup({ storage });
    await call.start();
    expect(api.join).toHaveBeenCalledWith('invite-token-1', expect.objectContaining({ participantToken: 'pt-old' }));
    expect(call.getSnapshot().screen).toBe('location');
  });

  it('a reload after the location answer goes straight back to the camera step', async () => {
    const storage = new Map([
      [seatStorageKey('invite-token-1'), 'pt-old'],
      [locationStorageKey('invite-token-1'), 'shared'],
    ]);
    const { call, locate } = setup({ storage });
    await call.start();
    expect(call.getSnapshot()).toMatchObject({ screen: 'permissions', locationOutcome: 'shared' });
    expect(locate).not.toHaveBeenCalled();
  });

  describe('a returning customer whose browser holds the camera permission', () => {
    it('opens the camera on Proceed, sends nothing before the answer, then starts the call at once', async () => {
      const { call, wire, transports, acquireMedia } = setup({ mediaPermission: true });
      await call.start();
      await call.accept();
      wire().welcome();
      await vi.waitFor(() => expect(acquireMedia).toHaveBeenCalledTimes(1));
      const opened = (await acquireMedia.mock.results[0]!.value) as { stream: MediaStream };
      // On the location question: the camera is open on the phone, but the call has nothing of it.
      expect(call.getSnapshot()).toMatchObject({ screen: 'location', localStream: null });
      expect(transports[0]!.connect).not.toHaveBeenCalled();
      expect(wire().stages()).toEqual([]);

      // The camera has opened by the time the customer answers.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const screens: string[] = [];
      call.subscribe(() => screens.push(call.getSnapshot().screen));
      await call.declineLocation();
      expect(call.getSnapshot()).toMatchObject({ screen: 'call', localStream: opened.stream, locationOutcome: 'declined' });
      // The camera step does not flash by: the camera is open already.
      expect(new Set(screens)).toEqual(new Set(['location', 'call']));
      expect(acquireMedia).toHaveBeenCalledTimes(1);
      expect(transports[0]!.connect).toHaveBeenCalledWith(opened.stream);
      // The journey record reads as before: location answered, camera step, in the call.
      expect(
        wire()
          .sent.filter((f) => f.type === 'location' || f.type === 'stage')
          .map((f) => f.stage ?? f.type),
      ).toEqual(['location', 'permissions', 'in-call']);
    });

    it('turns the camera off again when the join fails', async () => {
      const { call, acquireMedia } = setup({ mediaPermission: true, join: { ok: false, failure: 'in-use' } });
      await call.start();
      await call.accept();
      expect(call.getSnapshot().screen).toBe('in-use');
      const opened = (await acquireMedia.mock.results[0]!.value) as { stream: MediaStream };
      await vi.waitFor(() => {
        for (const track of opened.stream.getTracks()) expect(track.stop).toHaveBeenCalled();
      });
    });

    it('a reload after the location answer goes straight back into the call', async () => {
      const storage = new Map([
        [seatStorageKey('invite-token-1'), 'pt-old'],
        [locationStorageKey('invite-token-1'), 'declined'],
      ]);
      const { call, acquireMedia, wire } = setup({ mediaPermission: true, storage });
      await call.start();
      wire().welcome();
      expect(call.getSnapshot().screen).toBe('call');
      expect(acquireMedia).toHaveBeenCalledTimes(1);
    });

    it('turns the camera off again when the journey ends before the answer', async () => {
      const { call, wire, acquireMedia } = setup({ mediaPermission: true });
      await call.start();
      await call.accept();
      wire().welcome();
      await vi.waitFor(() => expect(acquireMedia).toHaveBeenCalledTimes(1));
      const opened = (await acquireMedia.mock.results[0]!.value) as { stream: MediaStream };
      wire().handlers.onMessage(JSON.stringify({ type: 'session-ended', reason: 'ended-by-specialist' }));
      await vi.waitFor(() => {
        for (const track of opened.stream.getTracks()) expect(track.stop).toHaveBeenCalled();
      });
    });

    it('asks for the camera again on the camera step when it would not open ahead', async () => {
      const { call, wire, acquireMedia } = setup({ mediaPermission: true });
      acquireMedia.mockRejectedValueOnce(new MediaAccessError('in-use', 'Device in use'));
      await call.start();
      await call.accept();
      wire().welcome();
      await call.declineLocation();
      expect(acquireMedia).toHaveBeenCalledTimes(2);
      expect(call.getSnapshot()).toMatchObject({ screen: 'call', mediaError: null });
    });
  });

  it('never opens the camera ahead without the permission: the camera step asks', async () => {
    const { call, join, wire, acquireMedia } = setup();
    await call.start();
    await join();
    wire().welcome();
    expect(acquireMedia).not.toHaveBeenCalled();
    expect(call.getSnapshot().screen).toBe('permissions');
  });

  it('says the link is in use when another device holds the seat', async () => {
    const { call } = setup({ join: { ok: false, failure: 'in-use' } });
    await call.start();
    await call.accept();
    expect(call.getSnapshot().screen).toBe('in-use');
  });

  it('keeps the consent screen with an error when joining fails on the network', async () => {
    const { call } = setup({ join: { ok: false, failure: 'network' } });
    await call.start();
    await call.accept();
    expect(call.getSnapshot()).toMatchObject({ screen: 'consent', joinFailed: true, busy: false });
  });

  it('explains a camera denial, reports it, and enters the call on retry', async () => {
    const { call, join, acquireMedia, wire, transports } = setup();
    await call.start();
    await join();
    wire().welcome();
    acquireMedia.mockRejectedValueOnce(new MediaAccessError('denied', 'Permission denied'));
    await call.requestMedia();
    expect(call.getSnapshot()).toMatchObject({ screen: 'permissions', mediaError: 'denied' });
    expect(wire().stages().at(-1)).toEqual({ type: 'stage', stage: 'permissions', detail: 'media-error:denied' });

    await call.requestMedia();
    const snap = call.getSnapshot();
    expect(snap).toMatchObject({ screen: 'call', mediaError: null, localMirrored: false });
    expect(wire().stages().at(-1)).toEqual({ type: 'stage', stage: 'in-call' });
    expect(transports).toHaveLength(1);
    expect(transports[0]!.connect).toHaveBeenCalledWith(snap.localStream);
    expect(snap.specialist?.displayName).toBe('Maria Ivanova');
  });

  it('connects the media once the welcome arrives after the camera was granted', async () => {
    const { call, join, wire, transports } = setup();
    await call.start();
    await join();
    await call.requestMedia();
    expect(transports).toHaveLength(0);
    wire().welcome();
    expect(transports[0]!.connect).toHaveBeenCalledTimes(1);
  });

  it('shows the status from the media connection', async () => {
    const { call, join, wire, transports } = setup();
    await call.start();
    await join();
    wire().welcome();
    await call.requestMedia();
    expect(call.getSnapshot().connection).toBe('connecting');
    transports[0]!.emitter.emit('state', CallState.connected);
    expect(call.getSnapshot().connection).toBe('connected');
    transports[0]!.emitter.emit('state', CallState.reconnecting);
    expect(call.getSnapshot().connection).toBe('reconnecting');
  });

  it('shows reconnecting while the relay socket is down, even while the media still flows', async () => {
    vi.useFakeTimers();
    const { call, join, wire, transports } = setup();
    await call.start();
    await join();
    wire().welcome();
    await call.requestMedia();
    transports[0]!.emitter.emit('state', CallState.connected);
    expect(call.getSnapshot().connection).toBe('connected');
    wire().handlers.onClose(1006, '');
    expect(call.getSnapshot().connection).toBe('reconnecting');
    await vi.runOnlyPendingTimersAsync();
    expect(call.getSnapshot().connection).toBe('reconnecting');
    wire().welcome();
    expect(call.getSnapshot().connection).toBe('connected');
  });

  it('on session end shows the ended screen, then redirects after the delay', async () => {
    vi.useFakeTimers();
    const { call, join, wire, transports, redirect } = setup();
    await call.start();
    await join();
    wire().welcome();
    await call.requestMedia();
    wire().handlers.onMessage(
      JSON.stringify({ type: 'session-ended', reason: 'ended-by-specialist', redirectUrl: 'https://example.com/bye' }),
    );
    expect(call.getSnapshot()).toMatchObject({
      screen: 'ended',
      endReason: 'ended-by-specialist',
      redirectUrl: 'https://example.com/bye',
    });
    expect(transports[0]!.left).toBe(true);
    vi.advanceTimersByTime(2999);
    expect(redirect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(redirect).toHaveBeenCalledWith('https://example.com/bye');
  });

  it('never redirects to a non-web URL', async () => {
    vi.useFakeTimers();
    const { call, join, wire, redirect } = setup();
    await call.start();
    await join();
    wire().welcome();
    wire().handlers.onMessage(JSON.stringify({ type: 'session-ended', reason: 'ended-by-specialist', redirectUrl: 'javascript:alert(1)' }));
    vi.advanceTimersByTime(3000);
    expect(redirect).toHaveBeenCalledWith('https://www.wilo.com/');
  });

  it('ending the call tells the relay, leaves, and goes to the company site', async () => {
    vi.useFakeTimers();
    const { call, join, api, wire, transports, redirect, storageMap } = setup();
    await call.start();
    await join();
    wire().welcome();
    await call.requestMedia();
    call.endCall();
    expect(api.endCall).toHaveBeenCalledWith('invite-token-1', 'pt-1');
    expect(wire().stages().at(-1)).toEqual({ type: 'stage', stage: 'left' });
    expect(wire().closed).toBe(1000);
    expect(transports[0]!.left).toBe(true);
    expect(storageMap.size).toBe(0);
    expect(call.getSnapshot()).toMatchObject({ screen: 'ended', endReason: 'ended-by-customer' });
    vi.advanceTimersByTime(3000);
    expect(redirect).toHaveBeenCalledWith('https://www.wilo.com/');
  });

  it('says the link is in use when another tab replaces this socket', async () => {
    const { call, join, wire } = setup();
    await call.start();
    await join();
    wire().welcome();
    wire().handlers.onClose(4409, 'replaced');
    expect(call.getSnapshot().screen).toBe('in-use');
  });

  it('refuses honestly when the relay picks a media engine this page lacks', async () => {
    const { call, join, wire } = setup();
    await call.start();
    await join();
    wire().welcome({ mode: 'twilio', roomName: 'room-1' });
    expect(call.getSnapshot()).toMatchObject({ screen: 'invalid', invalidReason: 'unsupported' });
  });

  it('tells an unsupported browser before the camera step, while the engine loads ahead', async () => {
    let answer: (supported: boolean) => void = () => undefined;
    const { call, wire, transports, acquireMedia } = setup({ prepare: () => new Promise((resolve) => (answer = resolve)) });
    await call.start();
    await call.accept();
    wire().welcome();
    // Loading starts with the welcome, i.e. on the location step.
    expect(transports[0]!.prepare).toHaveBeenCalledTimes(1);
    expect(call.getSnapshot().screen).toBe('location');
    answer(false);
    await vi.waitFor(() => expect(call.getSnapshot()).toMatchObject({ screen: 'invalid', invalidReason: 'browser' }));
    expect(acquireMedia).not.toHaveBeenCalled();
    expect(transports[0]!.left).toBe(true);
  });

  it('goes on as usual when the engine supports this browser', async () => {
    const { call, wire, join } = setup({ prepare: async () => true });
    await call.start();
    await join();
    wire().welcome();
    await Promise.resolve();
    expect(call.getSnapshot().screen).toBe('permissions');
  });

  it('checks the invite after repeated reconnect failures and ends when it is gone', async () => {
    vi.useFakeTimers();
    const { call, join, api, wire } = setup();
    await call.start();
    await join();
    wire().welcome();
    vi.mocked(api.getInvite).mockResolvedValue({ ok: false, failure: 'expired' });
    for (let i = 0; i < 3; i++) {
      wire().handlers.onClose(1006, '');
      await vi.runOnlyPendingTimersAsync();
    }
    expect(call.getSnapshot()).toMatchObject({ screen: 'ended', endReason: 'expired' });
  });
});
