import {
  MAX_CHAT_TEXT,
  MAX_QUOTE_TEXT,
  type ChatMessage,
  type ChatQuote,
  type ChatRejected,
  type ClientToRelay,
  type RelayToClient,
  type Role,
} from '@live-assist/protocol';
import type { RelaySocketEvents, RelaySocketStatus } from '../socket.js';
import { ChatEntryStatus, ChatFailure, type ChatEntry, type PendingPhoto } from './entry.js';
import { entryFromOutbox, outboxItemsOf, readOutbox, writeOutbox, type ChatOutboxStorage } from './outbox.js';
import type { PhotoVault } from './photo-vault.js';
import { UploadFailure, type PhotoUploader, type UploadFailureReason } from './upload.js';

/** The part of `RelaySocket` the chat needs (tests drive a fake). */
export interface ChatSocket {
  readonly status: RelaySocketStatus;
  send(frame: ClientToRelay): boolean;
  on<K extends 'welcome' | 'frame' | 'status'>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

const FAILURE_OF: Record<UploadFailureReason, ChatFailure> = {
  'too-large': ChatFailure.tooLarge,
  unsupported: ChatFailure.unsupported,
  quota: ChatFailure.quota,
  network: ChatFailure.upload,
  server: ChatFailure.upload,
};

export interface ChatSnapshot {
  entries: readonly ChatEntry[];
  unread: number;
  open: boolean;
  /** The highest relay seq seen; replay after reconnect starts here. */
  lastSeq: number;
  /** The relay socket is open; own messages marked `sending` wait for it otherwise. */
  online: boolean;
}

export interface ChatStoreOptions {
  socket: ChatSocket;
  role: Role;
  uploader: PhotoUploader;
  /** Messages up to this seq were already read (e.g. before a page reload). */
  readSeq?: number;
  /** Told whenever the read position moves, so it can be kept across a reload. */
  onRead?(seq: number): void;
  newClientId?(): string;
  now?(): number;
  /** An online send without an answer for this long is marked failed (retry resends it). */
  ackTimeoutMs?: number;
  /**
   * Where own text messages wait until the relay acknowledges them, so a reload does not lose
   * them: a new store over the same storage and key shows them as `sending` again and sends them
   * with their original client id (the relay stores a client id once). With `photos`, messages
   * with photos are kept too: their files wait in that vault until the relay has the message.
   */
  outbox?: { storage: ChatOutboxStorage; key: string; photos?: PhotoVault };
}

export interface SendInput {
  text: string;
  replyTo?: ChatMessage | ChatEntry | null;
  photos?: { blob: Blob; localUrl: string | null }[];
}

function randomClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function quoteOf(target: ChatMessage | ChatEntry): ChatQuote | null {
  if (target.id === null || target.seq === null) return null;
  const photos = target.attachments.length;
  return { id: target.id, seq: target.seq, from: target.from, text: target.text.slice(0, MAX_QUOTE_TEXT), photos };
}

/**
 * The chat of one participant: confirmed messages in relay order, own messages being sent,
 * dedupe by client id and seq, replay after every (re)connect, unread count. Plain TS; the UI
 * subscribes. Own messages typed while offline wait here and go out after the next welcome.
 */
export class ChatStore {
  private entries: ChatEntry[] = [];
  private readonly bySeq = new Set<number>();
  private lastSeq = 0;
  private readSeq: number;
  private open = false;
  private snapshot: ChatSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly newClientId: () => string;
  private readonly now: () => number;
  private readonly ackTimeoutMs: number;
  private disposed = false;
  /** Own messages whose photo files are all in the vault (or uploaded), so the outbox may list them. */
  private readonly vaulted = new Set<string>();
  /** Messages whose photos are uploading now: a welcome must not start a second upload of them. */
  private readonly delivering = new Set<string>();
  /** Object URLs this store made for photos read back from the vault. */
  private readonly ownUrls: string[] = [];

  constructor(private readonly o: ChatStoreOptions) {
    this.readSeq = o.readSeq ?? 0;
    this.newClientId = o.newClientId ?? randomClientId;
    this.now = o.now ?? Date.now;
    this.ackTimeoutMs = o.ackTimeoutMs ?? 15_000;
    this.entries = this.restoreOutbox();
    this.snapshot = this.build();
    this.unsubscribe.push(
      o.socket.on('welcome', () => this.onWelcome()),
      o.socket.on('frame', (frame) => this.onFrame(frame)),
      o.socket.on('status', () => this.changed()),
    );
    if (o.socket.status === 'open') this.onWelcome();
    void this.readBackPhotos();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): ChatSnapshot => this.snapshot;

  setOpen(open: boolean): void {
    if (this.open === open) return;
    this.open = open;
    if (open) this.markRead();
    this.changed();
  }

  /** Queues a message; returns false when there is nothing to send or the text is too long. */
  send(input: SendInput): boolean {
    const text = input.text.trim();
    const photos = input.photos ?? [];
    if ((text.length === 0 && photos.length === 0) || text.length > MAX_CHAT_TEXT) return false;
    const clientId = this.newClientId();
    const entry: ChatEntry = {
      key: clientId,
      clientId,
      mine: true,
      from: this.o.role,
      senderName: '',
      text,
      replyTo: input.replyTo ? quoteOf(input.replyTo) : null,
      attachments: [],
      pendingPhotos: photos.map((p) => ({ blob: p.blob, localUrl: p.localUrl, upload: null })),
      status: ChatEntryStatus.sending,
      failure: null,
      seq: null,
      id: null,
      sentAt: new Date(this.now()).toISOString(),
    };
    this.entries = [...this.entries, entry];
    this.saveOutbox();
    this.changed();
    if (photos.length > 0)
      void this.vaultPhotos(
        clientId,
        photos.map((p) => p.blob),
      );
    void this.deliver(clientId);
    return true;
  }

  /** Sends a failed message again under the same client id (the relay stores it at most once). */
  retry(clientId: string): void {
    const entry = this.find(clientId);
    if (!entry || entry.status !== ChatEntryStatus.failed) return;
    this.patch(clientId, { status: ChatEntryStatus.sending, failure: null });
    this.saveOutbox();
    void this.deliver(clientId);
  }

  dispose(): void {
    this.disposed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.listeners.clear();
    for (const url of this.ownUrls.splice(0)) URL.revokeObjectURL(url);
  }

  // ---------- sending ----------

  private async deliver(clientId: string): Promise<void> {
    const entry = this.find(clientId);
    if (!entry || this.delivering.has(clientId)) return;
    // Text alone goes out in the same task: nothing to wait for.
    if (entry.pendingPhotos.some((p) => p.upload === null)) {
      this.delivering.add(clientId);
      try {
        if (!(await this.uploadPhotos(clientId, entry.pendingPhotos))) return;
      } finally {
        this.delivering.delete(clientId);
      }
    }
    if (this.disposed) return;
    this.transmit(clientId);
  }

  /** True once every photo is uploaded; false when the message failed or waits for the network. */
  private async uploadPhotos(clientId: string, photos: PendingPhoto[]): Promise<boolean> {
    for (const photo of photos.filter((p) => p.upload === null)) {
      try {
        if (!photo.blob) throw new UploadFailure('network', 'The photo is no longer on this device.');
        photo.upload = await this.o.uploader.upload(photo.blob);
        // Kept as an upload from now on: a reload sends it without uploading it again.
        this.saveOutbox();
      } catch (error) {
        if (this.disposed) return false;
        // Offline: the message waits like a text message does and the upload is tried again
        // after the next welcome.
        if (error instanceof UploadFailure && error.reason === 'network' && photo.blob && this.o.socket.status !== 'open') return false;
        const failure = error instanceof UploadFailure ? FAILURE_OF[error.reason] : ChatFailure.upload;
        this.patch(clientId, { status: ChatEntryStatus.failed, failure });
        return false;
      }
    }
    return true;
  }

  /** Puts the files of a new photo message in the vault; once all are in, the outbox lists it. */
  private async vaultPhotos(clientId: string, blobs: Blob[]): Promise<void> {
    const vault = this.o.outbox?.photos;
    if (!vault) return;
    try {
      await Promise.all(blobs.map((blob, i) => vault.put(this.vaultKey(clientId, i), blob)));
    } catch (error) {
      console.warn('[chat] could not keep the photos of an unsent message', error);
      return;
    }
    // Confirmed or refused meanwhile: nothing waits for these files any more.
    if (!this.find(clientId) || this.disposed) {
      void this.forgetPhotos(clientId, blobs.length);
      return;
    }
    this.vaulted.add(clientId);
    this.saveOutbox();
  }

  private forgetPhotos(clientId: string, count: number): Promise<void> {
    const vault = this.o.outbox?.photos;
    if (!vault || count === 0) return Promise.resolve();
    this.vaulted.delete(clientId);
    return Promise.all(Array.from({ length: count }, (_, i) => vault.delete(this.vaultKey(clientId, i))))
      .then(() => undefined)
      .catch((error: unknown) => console.warn('[chat] could not drop the photos of a sent message', error));
  }

  /** Every file of this outbox is kept under its key and a colon. */
  private vaultPrefix(): string {
    return `${this.o.outbox?.key ?? ''}:`;
  }

  private vaultKey(clientId: string, position: number): string {
    return `${this.vaultPrefix()}${clientId}:${position}`;
  }

  /**
   * After a reload: reads the files of restored photo messages back from the vault, shows them and
   * sends those messages; drops files no restored message needs (sent by the page before).
   */
  private async readBackPhotos(): Promise<void> {
    const vault = this.o.outbox?.photos;
    const waiting = this.entries.filter((e) => e.mine && e.seq === null && e.pendingPhotos.some((p) => p.upload === null));
    if (!vault) {
      for (const e of waiting) this.patch(e.clientId, { status: ChatEntryStatus.failed, failure: ChatFailure.upload });
      return;
    }
    const keep = new Set(this.entries.flatMap((e) => e.pendingPhotos.map((_, i) => this.vaultKey(e.clientId, i))));
    try {
      const stale = (await vault.keys(this.vaultPrefix())).filter((k) => !keep.has(k));
      await Promise.all(stale.map((k) => vault.delete(k)));
    } catch (error) {
      console.warn('[chat] could not tidy the photo vault', error);
    }
    for (const entry of waiting) {
      const photos = await Promise.all(
        entry.pendingPhotos.map(async (p, i): Promise<PendingPhoto> => {
          if (p.upload) return p;
          const blob = await vault.get(this.vaultKey(entry.clientId, i)).catch(() => null);
          if (!blob) return p;
          const localUrl = URL.createObjectURL(blob);
          this.ownUrls.push(localUrl);
          return { blob, localUrl, upload: null };
        }),
      );
      if (this.disposed) return;
      if (!this.find(entry.clientId)) continue;
      if (photos.some((p) => p.upload === null && p.blob === null)) {
        // The file is gone (storage cleared): the message cannot be sent, and is not kept again.
        this.vaulted.delete(entry.clientId);
        this.patch(entry.clientId, { pendingPhotos: photos, status: ChatEntryStatus.failed, failure: ChatFailure.upload });
        this.saveOutbox();
        continue;
      }
      this.patch(entry.clientId, { pendingPhotos: photos });
      void this.deliver(entry.clientId);
    }
  }

  /** Sends the frame if online; offline messages stay `sending` until the next welcome. */
  private transmit(clientId: string): void {
    const entry = this.find(clientId);
    if (!entry || entry.status !== ChatEntryStatus.sending) return;
    if (entry.pendingPhotos.some((p) => p.upload === null)) return;
    if (this.o.socket.status !== 'open') return;
    const frame: ClientToRelay = {
      type: 'chat-send',
      clientId,
      text: entry.text,
      attachments: entry.pendingPhotos.map((p) => p.upload!.id),
      ...(entry.replyTo ? { replyTo: entry.replyTo.id } : {}),
    };
    if (!this.o.socket.send(frame)) return;
    this.armTimeout(clientId);
  }

  private armTimeout(clientId: string): void {
    const previous = this.timers.get(clientId);
    if (previous) clearTimeout(previous);
    this.timers.set(
      clientId,
      setTimeout(() => {
        this.timers.delete(clientId);
        const entry = this.find(clientId);
        if (entry?.status === ChatEntryStatus.sending) {
          this.patch(clientId, { status: ChatEntryStatus.failed, failure: ChatFailure.timeout });
        }
      }, this.ackTimeoutMs),
    );
  }

  // ---------- receiving ----------

  private onWelcome(): void {
    this.o.socket.send({ type: 'chat-sync', afterSeq: this.lastSeq });
    for (const entry of this.entries) {
      if (!entry.mine || entry.status !== ChatEntryStatus.sending) continue;
      // Photos whose upload failed offline are uploaded now; the message follows them.
      const retryUpload = entry.pendingPhotos.some((p) => p.upload === null && p.blob !== null);
      if (retryUpload) void this.deliver(entry.clientId);
      else this.transmit(entry.clientId);
    }
  }

  private onFrame(frame: RelayToClient): void {
    switch (frame.type) {
      case 'chat-message':
        this.accept([frame.message]);
        return;
      case 'chat-history':
        this.accept(frame.messages);
        if (frame.more && frame.messages.length > 0) {
          this.o.socket.send({ type: 'chat-sync', afterSeq: frame.messages.at(-1)!.seq });
        }
        return;
      case 'chat-rejected':
        this.rejected(frame);
        return;
      default:
        return;
    }
  }

  private accept(messages: readonly ChatMessage[]): void {
    let changed = false;
    let ownConfirmed = false;
    let next = this.entries;
    for (const message of messages) {
      if (this.bySeq.has(message.seq)) continue;
      this.bySeq.add(message.seq);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
      changed = true;
      const mine = message.from === this.o.role;
      const confirmed: ChatEntry = {
        key: message.clientId,
        clientId: message.clientId,
        mine,
        from: message.from,
        senderName: message.senderName,
        text: message.text,
        replyTo: message.replyTo,
        attachments: message.attachments,
        pendingPhotos: [],
        status: ChatEntryStatus.sent,
        failure: null,
        seq: message.seq,
        id: message.id,
        sentAt: message.sentAt,
      };
      const own = mine ? next.findIndex((e) => e.seq === null && e.clientId === message.clientId) : -1;
      if (own !== -1) {
        const timer = this.timers.get(message.clientId);
        if (timer) clearTimeout(timer);
        this.timers.delete(message.clientId);
        // Keep the local previews so the thumbnail does not flash while the relay copy loads.
        confirmed.pendingPhotos = next[own]!.pendingPhotos;
        void this.forgetPhotos(message.clientId, confirmed.pendingPhotos.length);
        next = next.filter((_, i) => i !== own);
        ownConfirmed = true;
      }
      next = insertBySeq(next, confirmed);
    }
    if (!changed) return;
    this.entries = next;
    // Only a confirmed own message leaves the outbox; the other side's messages do not touch it.
    if (ownConfirmed) this.saveOutbox();
    if (this.open) this.markRead();
    this.changed();
  }

  private rejected(frame: ChatRejected): void {
    if (!this.find(frame.clientId)) return;
    const timer = this.timers.get(frame.clientId);
    if (timer) clearTimeout(timer);
    this.timers.delete(frame.clientId);
    this.patch(frame.clientId, { status: ChatEntryStatus.failed, failure: ChatFailure.rejected });
    // The relay refused it for good; resending it after a reload would only be refused again.
    this.saveOutbox();
    void this.forgetPhotos(frame.clientId, this.find(frame.clientId)?.pendingPhotos.length ?? 0);
  }

  // ---------- outbox (survives a reload) ----------

  private saveOutbox(): void {
    const outbox = this.o.outbox;
    if (!outbox || this.disposed) return;
    writeOutbox(outbox.storage, outbox.key, outboxItemsOf(this.entries, this.vaulted));
  }

  /** Entries for the messages a previous page left unsent, in the order they were typed. */
  private restoreOutbox(): ChatEntry[] {
    const outbox = this.o.outbox;
    if (!outbox) return [];
    return readOutbox(outbox.storage, outbox.key).map((item) => {
      // Files still to upload are in the vault (they were only listed once they were).
      if (item.photos.some((p) => p.upload === null)) this.vaulted.add(item.clientId);
      return entryFromOutbox(item, this.o.role);
    });
  }

  // ---------- state ----------

  private markRead(): void {
    if (this.lastSeq <= this.readSeq) return;
    this.readSeq = this.lastSeq;
    this.o.onRead?.(this.readSeq);
  }

  private find(clientId: string): ChatEntry | undefined {
    return this.entries.find((e) => e.clientId === clientId && e.seq === null);
  }

  private patch(clientId: string, patch: Partial<ChatEntry>): void {
    this.entries = this.entries.map((e) => (e.clientId === clientId && e.seq === null ? { ...e, ...patch } : e));
    this.changed();
  }

  private build(): ChatSnapshot {
    const unread = this.entries.filter((e) => !e.mine && e.seq !== null && e.seq > this.readSeq).length;
    return { entries: this.entries, unread, open: this.open, lastSeq: this.lastSeq, online: this.o.socket.status === 'open' };
  }

  private changed(): void {
    if (this.disposed) return;
    this.snapshot = this.build();
    for (const listener of [...this.listeners]) listener();
  }
}

/** Confirmed messages in seq order, then own messages still in flight in the order typed. */
function insertBySeq(entries: ChatEntry[], entry: ChatEntry): ChatEntry[] {
  const seq = entry.seq ?? Infinity;
  const at = entries.findIndex((e) => e.seq === null || e.seq > seq);
  return at === -1 ? [...entries, entry] : [...entries.slice(0, at), entry, ...entries.slice(at)];
}
