import {
  CloseCode,
  type CameraFacing,
  type QualityStep,
  CustomerStage,
  LocationOutcome,
  type InviteView,
  type LocationReport,
  type MediaConfig,
  type ParticipantState,
} from '@live-assist/protocol';
import {
  CallState,
  LaneSwitch,
  MediaAccessError,
  MediaErrorKind,
  RelaySocketStatus,
  TwilioCallError,
  isFrontCamera,
  type CallTransport,
  type LocalMedia,
  type PeerDatagrams,
  type RelaySocket,
  type SessionEndedFrame,
} from '@live-assist/client-core';
import { ApiFailure, type ApiResult, type CustomerApi } from './api.js';
import { seatStorageKey } from './seat.js';
import type { InAppBrowser } from './browserInfo.js';

/** The customer journey as plain state; React only renders it. */

export const Screen = {
  loading: 'loading',
  invalid: 'invalid',
  consent: 'consent',
  inUse: 'in-use',
  location: 'location',
  permissions: 'permissions',
  call: 'call',
  ended: 'ended',
} as const;
export type Screen = (typeof Screen)[keyof typeof Screen];

export const InvalidReason = {
  notFound: 'not-found',
  expired: 'expired',
  ended: 'ended',
  network: 'network',
  unsupported: 'unsupported',
  /** The media engine does not support this browser (e.g. Twilio and a rebranded Chromium). */
  browser: 'browser',
} as const;
export type InvalidReason = (typeof InvalidReason)[keyof typeof InvalidReason];

export type EndReason = SessionEndedFrame['reason'];

/** What the call screen's status line says. */
export const Connection = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
} as const;
export type Connection = (typeof Connection)[keyof typeof Connection];

export type CustomerCallSnapshot = {
  screen: Screen;
  invite: InviteView | null;
  invalidReason: InvalidReason | null;
  /** A request the user started is in flight (join, camera prompt). */
  busy: boolean;
  /** The join request failed for a reason worth retrying. */
  joinFailed: boolean;
  mediaError: MediaErrorKind | null;
  /** Translation key of a media-engine failure the customer should read (`twilio.room-full` …). */
  callError: string | null;
  /** The answer to the location step once given (also after a reload). */
  locationOutcome: LocationOutcome | null;
  connection: Connection;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  localMirrored: boolean;
  /** The quality ladder's step for what this phone sends: `audio` means the picture is paused. */
  qualityStep: QualityStep;
  camera: boolean;
  microphone: boolean;
  /** Whether the camera/mic controls can act yet (media engine ready). */
  controlsReady: boolean;
  specialist: ParticipantState | null;
  /** Set when another agent took over the call mid-way: the customer is told who is there now. */
  takenOverBy: string | null;
  /** Other agents watching the call (names): the customer always knows who can see them. */
  watching: string[];
  endReason: EndReason | null;
  redirectUrl: string | null;
};

export interface CustomerCallDeps {
  inviteToken: string;
  api: CustomerApi;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  openSocket(participantToken: string): RelaySocket;
  /** `null` when this page cannot run the media engine the relay chose. */
  createTransport(media: MediaConfig, socket: RelaySocket, participantToken: string): CallTransport | null;
  acquireMedia(): Promise<LocalMedia>;
  /** True when the browser already granted camera and microphone (reload mid-call). */
  hasMediaPermission(): Promise<boolean>;
  /** One position fix within the time limit; never rejects (see location.ts). */
  locate(): Promise<LocationReport>;
  /** The app whose in-app browser this is (the console shows it), or null in a real browser. */
  inAppBrowser?: () => InAppBrowser | null;
  locale(): string;
  /** The consent screen's words for this invite in the current language (see consent/consentText.ts). */
  consentText(invite: InviteView): string;
  redirect(url: string): void;
  /** Reconnect failures after which the page asks the API whether the invite still exists. */
  inviteCheckAfterFailures?: number;
  /**
   * The invite the first screen already loaded and the customer accepted there: `start()` joins at
   * once instead of asking for the invite and the consent again.
   */
  accepted?: InviteView;
  /**
   * Why the link does not work, already known from the first screen's lookup: the first `start()`
   * shows it without asking again (each unknown link asked about counts against the guessing limit).
   */
  linkFailure?: ApiFailure;
}

export type CustomerCall = {
  getSnapshot(): CustomerCallSnapshot;
  subscribe(listener: () => void): () => void;
  start(): Promise<void>;
  accept(): Promise<void>;
  shareLocation(): Promise<void>;
  declineLocation(): Promise<void>;
  requestMedia(): Promise<void>;
  toggleCamera(): Promise<void>;
  toggleMicrophone(): void;
  /** Moves to the camera on that side; rejects when the phone has none there (the old one stays). */
  switchCamera(facing: CameraFacing): Promise<void>;
  endCall(): void;
  dispose(): void;
  /** The relay socket and this device's token once joined, for session features (annotations, …). */
  sessionLink(): SessionLink | null;
};

/** `lane`: straight to the specialist's page while the P2P pair is up (the pointer takes it). */
export type SessionLink = { socket: RelaySocket; participantToken: string; lane: PeerDatagrams };

const INITIAL: CustomerCallSnapshot = {
  screen: Screen.loading,
  invite: null,
  invalidReason: null,
  busy: false,
  joinFailed: false,
  mediaError: null,
  callError: null,
  locationOutcome: null,
  connection: Connection.connecting,
  localStream: null,
  remoteStream: null,
  localMirrored: false,
  qualityStep: 'high',
  camera: true,
  microphone: true,
  controlsReady: false,
  specialist: null,
  takenOverBy: null,
  watching: [],
  endReason: null,
  redirectUrl: null,
};

function stopTracks(media: LocalMedia | null): void {
  for (const track of media?.stream.getTracks() ?? []) track.stop();
}

/** A camera opened ahead can have been taken away meanwhile (another app, the OS): then it is asked for again. */
function usable(media: LocalMedia): boolean {
  return media.stream.getTracks().every((track) => track.readyState !== 'ended');
}

/** Only web pages: a redirect target is never allowed to run script (`javascript:`) in this page. */
export function httpUrlOrNull(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The deployment's pause on the "call ended" screen before the redirect. */
export function exitDelayMs(invite: InviteView | null): number {
  return (invite?.branding.exitDelaySeconds ?? 3) * 1000;
}

export { seatStorageKey } from './seat.js';
/** Remembers the location answer so a reload does not ask again. */
export const locationStorageKey = (inviteToken: string) => `live-assist:location:${inviteToken}`;

function storedOutcome(value: string | null): LocationOutcome | null {
  return (Object.values(LocationOutcome) as string[]).includes(value ?? '') ? (value as LocationOutcome) : null;
}

function connectionFrom(socket: RelaySocketStatus, call: CallState): Connection {
  // Without the relay the call is only half there (chat waits, nothing can renegotiate), even
  // while the media still flows: the customer sees that the page is reconnecting.
  if (socket === RelaySocketStatus.reconnecting) return Connection.reconnecting;
  if (call === CallState.connected) return Connection.connected;
  if (call === CallState.reconnecting || call === CallState.failed) return Connection.reconnecting;
  return Connection.connecting;
}

export function createCustomerCall(deps: CustomerCallDeps): CustomerCall {
  let snapshot: CustomerCallSnapshot = INITIAL;
  const listeners = new Set<() => void>();
  let socket: RelaySocket | null = null;
  let transport: CallTransport | null = null;
  const lane = new LaneSwitch();
  let local: LocalMedia | null = null;
  /**
   * The camera opened ahead, from Proceed on (null inside: not opened). Its tracks stay on the
   * phone until the call screen shows; see `openCameraAhead`.
   */
  let cameraAhead: Promise<LocalMedia | null> | null = null;
  /** What `cameraAhead` resolved to, once it has. */
  let cameraOpened: LocalMedia | null = null;
  let socketStatus: RelaySocketStatus = RelaySocketStatus.idle;
  let callState: CallState = CallState.idle;
  let redirectTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  let checkingInvite = false;
  let linkFailure = deps.linkFailure;
  const cleanups: Array<() => void> = [];
  const storageKey = seatStorageKey(deps.inviteToken);
  const locationKey = locationStorageKey(deps.inviteToken);

  function set(patch: Partial<CustomerCallSnapshot>): void {
    if (disposed) return;
    snapshot = { ...snapshot, ...patch };
    for (const listener of [...listeners]) listener();
  }

  function refreshConnection(): void {
    set({ connection: connectionFrom(socketStatus, callState) });
  }

  function fail(failure: ApiFailure): void {
    if (failure === ApiFailure.inUse) {
      set({ screen: Screen.inUse, busy: false });
      return;
    }
    const reason =
      failure === ApiFailure.notFound
        ? InvalidReason.notFound
        : failure === ApiFailure.expired
          ? InvalidReason.expired
          : failure === ApiFailure.ended
            ? InvalidReason.ended
            : InvalidReason.network;
    set({ screen: Screen.invalid, invalidReason: reason, busy: false });
  }

  function stopMedia(): void {
    transport?.leave();
    transport = null;
    lane.use(null);
    for (const track of local?.stream.getTracks() ?? []) track.stop();
    local = null;
    dropCameraAhead();
  }

  /**
   * A returning customer's browser already holds the camera permission: the camera opens as they
   * press Proceed (no prompt can appear out of context), while the page joins and asks for the
   * location, so the call starts the moment they answer instead of after the camera's start-up.
   * Nothing leaves the phone before the call screen shows: the tracks reach the call only in
   * `startCall`. A failed join and every way out of the journey (`teardown`) stop a camera opened
   * ahead and never used.
   */
  function openCameraAhead(): void {
    if (cameraAhead) return;
    const ahead = deps
      .hasMediaPermission()
      .then((granted) => (granted ? deps.acquireMedia() : null))
      // A camera that would not open ahead is asked for again on the camera step, as without this.
      .catch(() => null);
    cameraAhead = ahead;
    void ahead.then((media) => {
      if (cameraAhead === ahead) cameraOpened = media;
    });
  }

  function dropCameraAhead(): void {
    void cameraAhead?.then((media) => stopTracks(media));
    cameraAhead = null;
    cameraOpened = null;
  }

  function teardown(): void {
    for (const off of cleanups.splice(0)) off();
    stopMedia();
    socket?.close(1000, 'left');
    socket = null;
  }

  function finish(reason: EndReason, redirectUrl: string | undefined): void {
    if (snapshot.screen === Screen.ended) return;
    teardown();
    deps.storage.removeItem(storageKey);
    deps.storage.removeItem(locationKey);
    const url = httpUrlOrNull(redirectUrl) ?? httpUrlOrNull(snapshot.invite?.branding.exitUrl);
    set({
      screen: Screen.ended,
      endReason: reason,
      redirectUrl: url,
      localStream: null,
      remoteStream: null,
      busy: false,
    });
    if (url) {
      redirectTimer = setTimeout(() => {
        redirectTimer = null;
        deps.redirect(url);
      }, exitDelayMs(snapshot.invite));
    }
  }

  function attachTransport(created: CallTransport): void {
    transport = created;
    lane.use(created.datagrams);
    cleanups.push(
      created.on('state', (state) => {
        callState = state;
        if (state === CallState.connected) set({ callError: null });
        refreshConnection();
      }),
      created.on('error', (error) => {
        if (error instanceof TwilioCallError) set({ callError: error.key });
      }),
      created.on('remoteStream', (stream) => set({ remoteStream: stream })),
      created.on('quality', (qualityStep) => set({ qualityStep })),
      created.on('localStream', (stream) =>
        set({
          localStream: stream,
          camera: created.cameraEnabled,
          microphone: created.microphoneEnabled,
          localMirrored: isFrontCamera(stream?.getVideoTracks()[0]),
        }),
      ),
    );
    set({ controlsReady: true });
    if (local) void connectTransport();
  }

  async function connectTransport(): Promise<void> {
    if (!transport || !local) return;
    try {
      await transport.connect(local.stream);
    } catch (err) {
      console.warn('[customer-call] media connection failed', err);
    }
  }

  /** A socket that cannot reconnect may mean the session ended while we were offline. */
  async function checkInviteStillValid(): Promise<void> {
    if (checkingInvite) return;
    checkingInvite = true;
    const result = await deps.api.getInvite(deps.inviteToken);
    checkingInvite = false;
    const gone: ApiFailure[] = [ApiFailure.notFound, ApiFailure.expired, ApiFailure.ended];
    if (!result.ok && gone.includes(result.failure)) {
      finish('expired', undefined);
    }
  }

  function openSocket(participantToken: string): void {
    const s = deps.openSocket(participantToken);
    socket = s;
    cleanups.push(
      s.on('status', (status) => {
        socketStatus = status;
        refreshConnection();
      }),
      s.on('welcome', (welcome) => {
        set({ specialist: welcome.participants.find((p) => p.role === 'specialist') ?? null });
        if (transport) return;
        const created = deps.createTransport(welcome.media, s, participantToken);
        if (!created) {
          teardown();
          set({ screen: Screen.invalid, invalidReason: InvalidReason.unsupported });
          return;
        }
        attachTransport(created);
        // Loads the engine while the customer reads the next step, and tells an unsupported
        // browser now rather than after the camera prompt.
        void created.prepare?.().then((supported) => {
          if (supported || transport !== created) return;
          teardown();
          set({ screen: Screen.invalid, invalidReason: InvalidReason.browser, busy: false, localStream: null });
        });
      }),
      s.on('participant', (participant) => {
        if (participant.role !== 'specialist') return;
        const before = snapshot.specialist?.displayName ?? '';
        // A different name on the seat means another agent took over; the customer always sees who.
        const takenOver = before !== '' && participant.displayName !== '' && participant.displayName !== before;
        set({ specialist: participant, ...(takenOver ? { takenOverBy: participant.displayName } : {}) });
      }),
      s.on('frame', (frame) => {
        if (frame.type === 'observers') set({ watching: frame.observers.map((o) => o.displayName) });
      }),
      s.on('session-ended', (frame) => finish(frame.reason, frame.redirectUrl)),
      s.on('reconnect', ({ attempt }) => {
        if (attempt >= (deps.inviteCheckAfterFailures ?? 3)) void checkInviteStillValid();
      }),
      s.on('closed', ({ code }) => {
        if (code === CloseCode.sessionEnded) finish('expired', undefined);
        else if (code === CloseCode.replaced) {
          teardown();
          set({ screen: Screen.inUse });
        } else if (code === CloseCode.unauthorized) void checkInviteStillValid();
      }),
    );
    s.connect();
  }

  async function join(participantToken: string | undefined): Promise<void> {
    const invite = snapshot.invite;
    if (!invite) return;
    set({ busy: true, joinFailed: false });
    openCameraAhead();
    const result = await deps.api.join(deps.inviteToken, {
      acceptedPolicy: true,
      policyVersion: invite.branding.policyVersion,
      locale: deps.locale(),
      consentText: deps.consentText(invite),
      ...(participantToken ? { participantToken } : {}),
    });
    if (disposed) return;
    if (!result.ok) {
      dropCameraAhead();
      if (result.failure === ApiFailure.network || result.failure === ApiFailure.badResponse) {
        set({ busy: false, joinFailed: true, screen: Screen.consent });
      } else {
        fail(result.failure);
      }
      return;
    }
    deps.storage.setItem(storageKey, result.value.participantToken);
    openSocket(result.value.participantToken);
    const answered = storedOutcome(deps.storage.getItem(locationKey));
    if (answered) {
      set({ locationOutcome: answered });
      await enterPermissions();
    } else {
      set({ busy: false, screen: Screen.location });
    }
  }

  /** The location step is optional: whatever the answer (or none in time), the journey goes on. */
  async function answerLocation(share: boolean): Promise<void> {
    if (snapshot.screen !== Screen.location || snapshot.busy) return;
    let report: LocationReport = { outcome: LocationOutcome.declined };
    if (share) {
      set({ busy: true });
      report = await deps.locate();
      if (disposed || snapshot.screen !== Screen.location) return;
    }
    socket?.send({ type: 'location', location: report });
    deps.storage.setItem(locationKey, report.outcome);
    set({ locationOutcome: report.outcome });
    await enterPermissions();
  }

  async function enterPermissions(): Promise<void> {
    const app = deps.inAppBrowser?.() ?? null;
    socket?.send({ type: 'stage', stage: CustomerStage.permissions, ...(app ? { detail: `in-app-browser:${app}` } : {}) });
    const ahead = cameraAhead;
    const opened = cameraOpened;
    cameraAhead = null;
    cameraOpened = null;
    // The camera is open already: straight into the call, without its step flashing by.
    if (opened && usable(opened)) {
      await startCall(opened, { fromSteps: true });
      return;
    }
    set({ busy: ahead !== null, screen: Screen.permissions });
    const media = ahead ? await ahead : null;
    if (media && usable(media)) {
      await startCall(media);
      return;
    }
    stopTracks(media);
    if (ahead) set({ busy: false });
    if (await deps.hasMediaPermission()) await requestMedia();
  }

  async function requestMedia(): Promise<void> {
    if (snapshot.screen !== Screen.permissions || snapshot.busy) return;
    set({ busy: true, mediaError: null });
    let media: LocalMedia;
    try {
      media = await deps.acquireMedia();
    } catch (err) {
      const kind = err instanceof MediaAccessError ? err.kind : MediaErrorKind.other;
      socket?.send({ type: 'stage', stage: CustomerStage.permissions, detail: `media-error:${kind}` });
      set({ busy: false, mediaError: kind });
      return;
    }
    await startCall(media);
  }

  /** The camera step is done: this is where the customer's media first goes to the call. */
  async function startCall(media: LocalMedia, options: { fromSteps?: boolean } = {}): Promise<void> {
    if (disposed || (snapshot.screen !== Screen.permissions && !options.fromSteps)) {
      stopTracks(media);
      return;
    }
    local = media;
    socket?.send({ type: 'stage', stage: CustomerStage.inCall });
    // The tracks go on the wire before the call screen renders: rendering it is the slow part.
    const connecting = connectTransport();
    set({
      busy: false,
      screen: Screen.call,
      localStream: media.stream,
      camera: media.stream.getVideoTracks().length > 0,
      microphone: media.stream.getAudioTracks().length > 0,
      localMirrored: isFrontCamera(media.stream.getVideoTracks()[0]),
    });
    await connecting;
  }

  return {
    sessionLink() {
      const participantToken = deps.storage.getItem(storageKey);
      return socket && participantToken ? { socket, participantToken, lane } : null;
    },
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async start() {
      set({ ...INITIAL });
      const accepted = deps.accepted;
      if (accepted) {
        set({ invite: accepted, screen: Screen.consent });
        await join(deps.storage.getItem(storageKey) ?? undefined);
        return;
      }
      const known = linkFailure;
      linkFailure = undefined;
      const result: ApiResult<InviteView> = known ? { ok: false, failure: known } : await deps.api.getInvite(deps.inviteToken);
      if (disposed) return;
      if (!result.ok) {
        fail(result.failure);
        return;
      }
      set({ invite: result.value });
      const seat = deps.storage.getItem(storageKey);
      // The same browser reloading mid-journey takes its seat back without asking again.
      if (seat) await join(seat);
      else set({ screen: Screen.consent });
    },
    accept: () => join(deps.storage.getItem(storageKey) ?? undefined),
    shareLocation: () => answerLocation(true),
    declineLocation: () => answerLocation(false),
    requestMedia,
    async toggleCamera() {
      if (!transport) return;
      try {
        await transport.setCameraEnabled(!transport.cameraEnabled);
      } catch (err) {
        console.warn('[customer-call] camera could not be turned back on', err);
      }
      set({ camera: transport?.cameraEnabled ?? false });
    },
    async switchCamera(facing) {
      if (!transport) throw new Error('not in a call');
      try {
        await transport.switchCamera(facing);
      } finally {
        set({ camera: transport?.cameraEnabled ?? false });
      }
    },
    toggleMicrophone() {
      if (!transport) return;
      transport.setMicrophoneEnabled(!transport.microphoneEnabled);
      set({ microphone: transport.microphoneEnabled });
    },
    endCall() {
      const participantToken = deps.storage.getItem(storageKey);
      if (participantToken && snapshot.screen !== Screen.ended) {
        // The relay ends the session for the specialist too; if this fails the `left` stage
        // below still tells the specialist, and the session times out as any abandoned one.
        void deps.api.endCall(deps.inviteToken, participantToken).then((result) => {
          if (!result.ok) console.warn('[customer-call] the relay did not confirm the end of the call', result.failure);
        });
      }
      socket?.send({ type: 'stage', stage: CustomerStage.left });
      finish('ended-by-customer', undefined);
    },
    dispose() {
      if (redirectTimer) clearTimeout(redirectTimer);
      redirectTimer = null;
      teardown();
      disposed = true;
      listeners.clear();
    },
  };
}
