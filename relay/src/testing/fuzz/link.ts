import { CloseCode, ErrorCode, PROTOCOL_VERSION, type ClientToRelay } from '@live-assist/protocol';
import { verdictOf, type FrameRun, type FuzzItem, type Verdict } from './frames.js';
import { FuzzSocket } from './socket.js';

/** Frames one socket sends before the driver opens a fresh one: under the relay's burst of 400, so none is dropped. */
const FRAMES_PER_SOCKET = 380;
/** Frames between two pings: below the 20 bad frames in a row that close a socket. */
const BATCH = 15;
const BAD_FRAMES_LIMIT = 20;

export interface LinkStats {
  frames: number;
  bad: number;
  valid: number;
  tooLarge: number;
  oversize: number;
  badUtf8: number;
  preHello: number;
  floods: number;
  wrongVersions: number;
  reconnects: number;
  /** Sockets the relay closed by the bad-frame limit in a run that did not aim for it. */
  limitCloses: number;
  /** Valid frames by type (what the relay got to handle). */
  validTypes: Record<string, number>;
  /** Frames by the generator that made them. */
  origins: Record<string, number>;
}

const emptyStats = (): LinkStats => ({
  frames: 0,
  bad: 0,
  valid: 0,
  tooLarge: 0,
  oversize: 0,
  badUtf8: 0,
  preHello: 0,
  floods: 0,
  wrongVersions: 0,
  reconnects: 0,
  limitCloses: 0,
  validTypes: {},
  origins: {},
});

/**
 * One participant token driven by the fuzzer, checking what the protocol promises of every frame:
 * an error for each bad one, the socket kept open below the bad-frame limit, the documented close
 * codes otherwise. It reconnects whenever the relay rightly closed the socket, and before the
 * socket's frame budget runs out.
 */
export class FuzzedLink {
  socket: FuzzSocket | null = null;
  readonly stats = emptyStats();
  /** Frames of every socket this link had that the protocol does not allow. */
  readonly invalid: string[] = [];
  private sent = 0;
  /** Index of the frame after the last pong: errors after it are what the relay counts as "in a row". */
  private sinceReset = 0;
  private pingSeq = 0;

  constructor(
    private readonly url: string,
    readonly name: string,
    /** Called with each valid frame sent after welcome (the test checks the other side's view). */
    private readonly onValid: (frame: ClientToRelay) => void = () => undefined,
  ) {}

  /** Opens a socket (closing the last one), sends `preHello` frames, then hello; checks the answers. */
  async connect(preHello: FuzzItem[] = []): Promise<void> {
    if (this.socket) {
      this.keepInvalid(this.socket);
      await this.socket.close();
      this.stats.reconnects += 1;
    }
    const socket = await FuzzSocket.open(this.url);
    this.socket = socket;
    this.sent = 0;
    // Only frames that leave the socket open and say no hello (a valid hello would be taken).
    const before = preHello.map((item) => ({ item, verdict: verdictOf(item) })).filter(({ verdict }) => quietBeforeHello(verdict));
    for (const { item } of before) this.send(item);
    this.stats.preHello += before.length;
    this.send({ kind: 'text', text: JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }), origin: 'hello' });
    await socket.until('welcome', () => {
      if (socket.frames.some((f) => f.type === 'welcome')) return true;
      if (socket.closeCode !== null) throw new Error(`${this.name}: closed ${socket.closeCode} before welcome`);
      return null;
    });
    const welcomeAt = socket.frames.findIndex((f) => f.type === 'welcome');
    const errors = socket.errorsSince(0).filter((e) => socket.frames.indexOf(e) < welcomeAt);
    // Before hello nothing runs but the parser: one error per frame, exactly, and of the right kind.
    const expected = before.map(({ verdict }) => (verdict.kind === 'valid' ? ErrorCode.helloRequired : ErrorCode.badFrame));
    const got = errors.map((e) => e.code);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      throw new Error(`${this.name}: before hello expected errors ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
    }
    this.sinceReset = socket.frames.length;
  }

  /** One fast-check run: its frames in batches with a ping after each, then a flood or a wrong hello if it has one. */
  async run(run: FrameRun): Promise<void> {
    let preHello = run.preHello;
    const ensureSocket = async (frames: number) => {
      if (!this.socket || this.socket.closeCode !== null || this.sent + frames + 1 > FRAMES_PER_SOCKET) {
        await this.connect(preHello);
        preHello = [];
      }
    };
    let batch: { item: FuzzItem; verdict: Verdict }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const now = batch;
      batch = [];
      await ensureSocket(now.length);
      await this.sendBatch(now);
    };
    for (const item of run.items) {
      const verdict = verdictOf(item);
      if (verdict.kind === 'bad' || verdict.kind === 'valid') {
        batch.push({ item, verdict });
        if (batch.length >= BATCH) await flush();
        continue;
      }
      await flush();
      await ensureSocket(1);
      await this.sendClosing(item, verdict);
    }
    await flush();
    if (run.flood) {
      await ensureSocket(run.flood.length);
      await this.sendFlood(run.flood);
    }
    if (run.wrongVersion !== null) await this.sendWrongVersion(run.wrongVersion);
  }

  /** Sends frames that keep the socket open, then a ping: every bad one must have had its error by the pong. */
  private async sendBatch(batch: { item: FuzzItem; verdict: Verdict }[]): Promise<void> {
    const socket = this.socket!;
    const start = socket.frames.length;
    const valid: ClientToRelay[] = [];
    for (const { item, verdict } of batch) {
      this.send(item);
      if (verdict.kind === 'valid') {
        this.stats.valid += 1;
        this.stats.validTypes[verdict.frame.type] = (this.stats.validTypes[verdict.frame.type] ?? 0) + 1;
        valid.push(verdict.frame);
      } else this.stats.bad += 1;
    }
    const t = 1e15 + ++this.pingSeq;
    this.send({ kind: 'text', text: JSON.stringify({ type: 'ping', t }), origin: 'sync' });
    const outcome = await socket.until(`pong ${t}`, () => {
      const pong = socket.frames.findIndex((f, i) => i >= start && f.type === 'pong' && f.t === t);
      if (pong !== -1) return { pong };
      return socket.closeCode !== null ? { closed: socket.closeCode } : null;
    });
    if ('closed' in outcome) {
      // Valid frames the relay refuses (forbidden, no such mark) count as bad too, so a batch may
      // reach the limit: that is the documented close, provided the limit was really reached.
      const errors = socket.errorsSince(this.sinceReset).length;
      if (outcome.closed !== CloseCode.tooManyBadFrames || errors < BAD_FRAMES_LIMIT) {
        throw new Error(`${this.name}: socket closed ${outcome.closed} after ${errors} errors in a row, in a batch of ${describe(batch)}`);
      }
      this.stats.limitCloses += 1;
      return;
    }
    const bad = batch.filter((b) => b.verdict.kind === 'bad').length;
    const errors = socket.errorsSince(start).filter((e) => e.code === ErrorCode.badFrame && socket.frames.indexOf(e) < outcome.pong);
    if (errors.length < bad) {
      throw new Error(`${this.name}: ${bad} bad frames got ${errors.length} bad-frame errors: ${describe(batch)}`);
    }
    this.sinceReset = outcome.pong + 1;
    // Only now is every frame of the batch known to have been handled (not cut off by a close).
    for (const frame of valid) this.onValid(frame);
  }

  /** A frame the relay (or ws) must answer by closing the socket with the documented code. */
  private async sendClosing(item: FuzzItem, verdict: Verdict): Promise<void> {
    const socket = this.socket!;
    const start = socket.frames.length;
    this.send(item);
    const code = await socket.until('close', () => socket.closeCode);
    const expected = verdict.kind === 'too-large' ? CloseCode.frameTooLarge : verdict.kind === 'oversize' ? 1009 : 1007;
    if (code !== expected)
      throw new Error(`${this.name}: ${verdict.kind} frame (${item.origin}) closed with ${code}, expected ${expected}`);
    if (verdict.kind === 'too-large' && !socket.errorsSince(start).some((e) => e.code === ErrorCode.frameTooLarge)) {
      throw new Error(`${this.name}: a frame over 64 KiB got no frame-too-large error`);
    }
    if (verdict.kind === 'too-large') this.stats.tooLarge += 1;
    else if (verdict.kind === 'oversize') this.stats.oversize += 1;
    else this.stats.badUtf8 += 1;
  }

  /** 20+ bad frames in a row: 20 errors, then close 4429; nothing after the 20th is answered. */
  private async sendFlood(flood: FuzzItem[]): Promise<void> {
    const socket = this.socket!;
    for (const item of flood) this.send(item);
    this.stats.bad += flood.length;
    this.stats.floods += 1;
    const code = await socket.until('close after a flood', () => socket.closeCode);
    // Since the last pong: a refusal of an earlier valid frame may arrive late and count in the row too.
    const errors = socket.errorsSince(this.sinceReset).length;
    if (code !== CloseCode.tooManyBadFrames || errors < BAD_FRAMES_LIMIT) {
      throw new Error(`${this.name}: ${flood.length} bad frames in a row: close ${code} after ${errors} errors`);
    }
  }

  /** A fresh socket whose hello names another protocol version. */
  private async sendWrongVersion(version: number): Promise<void> {
    if (this.socket) {
      this.keepInvalid(this.socket);
      await this.socket.close();
    }
    const socket = await FuzzSocket.open(this.url);
    this.socket = socket;
    this.sent = 0;
    this.send({ kind: 'text', text: JSON.stringify({ type: 'hello', protocolVersion: version }), origin: 'wrong-version' });
    const code = await socket.until('close after a wrong hello', () => socket.closeCode);
    if (code !== CloseCode.unsupportedVersion || !socket.errorsSince(0).some((e) => e.code === ErrorCode.unsupportedVersion)) {
      throw new Error(`${this.name}: hello with version ${version}: close ${code}`);
    }
    this.stats.wrongVersions += 1;
  }

  private send(item: FuzzItem): void {
    const socket = this.socket!;
    this.sent += 1;
    if (item.origin !== 'sync' && item.origin !== 'hello') {
      this.stats.frames += 1;
      const origin = item.origin.replace(/:.*$/, '');
      this.stats.origins[origin] = (this.stats.origins[origin] ?? 0) + 1;
    }
    if (item.kind === 'text') socket.sendText(item.text);
    else socket.sendBytes(item.bytes, item.kind === 'bad-utf8');
  }

  /** Every invalid relay frame this link saw, on the current socket and the ones before. */
  allInvalid(): string[] {
    return this.socket ? [...this.invalid, ...this.socket.invalid] : this.invalid;
  }

  async close(): Promise<void> {
    if (!this.socket) return;
    this.keepInvalid(this.socket);
    await this.socket.close();
    this.socket = null;
  }

  private keepInvalid(socket: FuzzSocket): void {
    this.invalid.push(...socket.invalid.splice(0));
  }
}

/** Frames a socket may send before hello and stay open: anything but a hello or a closing frame. */
function quietBeforeHello(verdict: Verdict): boolean {
  return verdict.kind === 'bad' || (verdict.kind === 'valid' && verdict.frame.type !== 'hello');
}

function describe(batch: { item: FuzzItem }[]): string {
  return JSON.stringify(
    batch.map(({ item }) => (item.kind === 'text' ? item.text.slice(0, 200) : `<${item.kind} ${item.bytes.length} bytes>`)),
  );
}
