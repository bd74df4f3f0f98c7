/** Node has no WebRTC: these fakes record what the code under test asks of the browser. */

export class FakeTrack {
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly kind: 'audio' | 'video') {}
  stop(): void {
    this.readyState = 'ended';
  }
}

export class FakeStream {
  constructor(private readonly tracks: FakeTrack[]) {}
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

export class FakeTransceiver {
  direction: string;
  currentDirection: string | null = null;
  readonly receiver: { track: { kind: string } };
  readonly sender: {
    track: unknown;
    replaceTrack: (t: unknown) => Promise<void>;
    getParameters: () => { encodings: RTCRtpEncodingParameters[] };
    setParameters: (p: { encodings: RTCRtpEncodingParameters[] }) => Promise<void>;
  };
  /** What the sender encodes with; one encoding, as Chromium's sender has once it exists. */
  encodings: RTCRtpEncodingParameters[];
  constructor(kind: string, track: unknown, direction: string, sendEncodings?: RTCRtpEncodingParameters[]) {
    this.direction = direction;
    this.receiver = { track: { kind } };
    this.encodings = (sendEncodings ?? [{}]).map((e) => ({ active: true, ...e }));
    this.sender = {
      track,
      replaceTrack: async (t: unknown) => {
        this.sender.track = t;
      },
      getParameters: () => ({ encodings: this.encodings.map((e) => ({ ...e })) }),
      setParameters: async (p) => {
        if (p.encodings.length !== this.encodings.length)
          throw new DOMException('encodings cannot be added or removed', 'InvalidModificationError');
        this.encodings = p.encodings.map((e) => ({ ...e }));
      },
    };
  }
}

/** As strict as Chromium's: sending before `open` or after `close` throws InvalidStateError. */
export class FakeDataChannel {
  readyState: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting';
  binaryType = 'blob';
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  readonly sent: Uint8Array[] = [];
  constructor(
    readonly label: string,
    readonly init: RTCDataChannelInit,
  ) {}
  send(data: Uint8Array) {
    if (this.readyState !== 'open') throw new DOMException(`RTCDataChannel.readyState is not 'open'`, 'InvalidStateError');
    this.sent.push(data);
  }
  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.onclose?.();
  }
  /** Test side: the channel opened (the pair's SCTP association is up). */
  open() {
    this.readyState = 'open';
    this.onopen?.();
  }
  /** Test side: a message from the other page. */
  deliver(data: ArrayBuffer | string) {
    this.onmessage?.({ data });
  }
}

let pcCount = 0;
/** Numbers peer connections from 1 again (their SDP names them: `offer-from-pc-1`). */
export function resetPcCount(): void {
  pcCount = 0;
}

export class FakePc {
  readonly id = ++pcCount;
  onicecandidate: ((e: unknown) => void) | null = null;
  ontrack: ((e: unknown) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  connectionState = 'new';
  iceConnectionState = 'new';
  signalingState = 'stable';
  /** Gathering starts with the local description and ends only when a test says so (`gathered`). */
  iceGatheringState = 'new';
  private readonly listeners = new Map<string, Set<() => void>>();
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  closed = false;
  readonly transceivers: FakeTransceiver[] = [];
  readonly candidates: unknown[] = [];
  readonly offerOptions: unknown[] = [];
  readonly channels: FakeDataChannel[] = [];

  createDataChannel(label: string, init: RTCDataChannelInit = {}) {
    if (this.closed) throw new DOMException('The RTCPeerConnection is closed.', 'InvalidStateError');
    if (init.negotiated && init.id === undefined) throw new TypeError('a negotiated channel needs an id');
    if (init.negotiated && this.channels.some((c) => c.init.id === init.id && c.readyState !== 'closed')) {
      throw new DOMException(`a channel with id ${init.id} exists`, 'OperationError');
    }
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    return channel;
  }

  addTransceiver(trackOrKind: FakeTrack | string, init: { direction: string; sendEncodings?: RTCRtpEncodingParameters[] }) {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const t = new FakeTransceiver(kind, typeof trackOrKind === 'string' ? null : trackOrKind, init.direction, init.sendEncodings);
    this.transceivers.push(t);
    return t;
  }
  getTransceivers() {
    return this.transceivers;
  }
  /** How many data channels existed when each offer was made (a channel made later is not in it). */
  readonly channelsAtOffer: number[] = [];
  async createOffer(options?: unknown) {
    this.offerOptions.push(options);
    this.channelsAtOffer.push(this.channels.length);
    return { type: 'offer', sdp: `offer-from-pc-${this.id}` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: `answer-from-pc-${this.id}` };
  }
  async setLocalDescription(d: { type: string; sdp: string }) {
    if (this.closed) throw new DOMException('The RTCPeerConnection is closed.', 'InvalidStateError');
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
    if (this.iceGatheringState === 'new') this.iceGatheringState = 'gathering';
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remoteDescription = d;
    if (d.type === 'offer') {
      this.signalingState = 'have-remote-offer';
      for (const kind of ['audio', 'video']) {
        if (!this.transceivers.some((t) => t.receiver.track.kind === kind)) {
          this.transceivers.push(new FakeTransceiver(kind, null, 'recvonly'));
        }
      }
    } else {
      this.signalingState = 'stable';
    }
  }
  async addIceCandidate(c: unknown) {
    this.candidates.push(c);
  }
  close() {
    this.closed = true;
    this.connectionState = 'closed';
    for (const channel of this.channels) channel.close();
  }
  addEventListener(type: string, listener: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.listeners.get(type)?.delete(listener);
  }
  /** Every candidate is in: the local description now carries them. */
  gathered() {
    this.iceGatheringState = 'complete';
    for (const listener of [...(this.listeners.get('icegatheringstatechange') ?? [])]) listener();
  }
  setIce(state: string) {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }
  setConnection(state: string) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}
