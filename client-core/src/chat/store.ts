import {
  MAX_CHAT_TEXT,
  type ChatMessage,
  type ChatRejected,
  type ClientToRelay,
  type RelayToClient,
  type Role,
} from '@live-assist/protocol';
import type { RelaySocketEvents, RelaySocketStatus } from '../socket.js';
import { AckTimeouts } from './ack-timeouts.js';
import { ChatEntryStatus, ChatFailure, draftEntry, type ChatEntry, type PendingPhoto } from './entry.js';
import { mergeConfirmed } from './merge.js';
import { PhotoOutbox, type PhotoOutboxOptions } from './photo-outbox.js';
import { chatFailureOf, UploadFailure, type PhotoUploader } from './upload.js';

/** The part of `RelaySocket` the chat needs (tests drive a fake). */
export interface ChatSocket {
  readonly status: RelaySocketStatus;
  send(frame: ClientToRelay): boolean;
  on<K extends 'welcome' | 'frame' | 'status'>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

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
  outbox?: PhotoOutboxOptions;
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

/**
 * The chat of one participant: confirmed messages in relay order, own messages being sent,
 * dedupe by client id and seq, replay after every (re)connect, unread count. Plain TS; the UI
 * subscribes. Own messages typed while offline wait here and go out after the next welcome.
 */
export class ChatStore {
  private entries: ChatEntry[] = [];
  /** The highest relay seq among the entries. */
  private lastSeq = 0;
  private readSeq: number;
  private open = false;
  private snapshot: ChatSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly ackTimeouts: AckTimeouts;
  private readonly newClientId: () => string;
  private readonly now: () => number;
  private disposed = false;
  private readonly outbox: PhotoOutbox;
  /** Messages whose photos are uploading now: a welcome must not start a second upload of them. */
  private readonly delivering = new Set<string>();

  constructor(private readonly o: ChatStoreOptions) {
    this.readSeq = o.readSeq ?? 0;
    this.newClientId = o.newClientId ?? randomClientId;
    this.now = o.now ?? Date.now;
    this.ackTimeouts = new AckTimeouts(o.ackTimeoutMs ?? 15_000, (clientId) => {
      if (this.find(clientId)?.status === ChatEntryStatus.sending) {
        this.patch(clientId, { status: ChatEntryStatus.failed, failure: ChatFailure.timeout });
      }
    });
    this.outbox = new PhotoOutbox(o.outbox);
    this.entries = this.outbox.restore(o.role);
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
    const sentAt = new Date(this.now()).toISOString();
    const entry = draftEntry({ clientId, role: this.o.role, text, replyTo: input.replyTo ?? null, photos, sentAt });
    this.entries = [...this.entries, entry];
    this.saveOutbox();
    this.changed();
    if (photos.length > 0) void this.keepPhotos(clientId, photos);
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
    this.ackTimeouts.clear();
    this.listeners.clear();
    this.outbox.dispose();
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
        this.patch(clientId, { status: ChatEntryStatus.failed, failure: chatFailureOf(error) });
        return false;
      }
    }
    return true;
  }

  /** Once every file of a new photo message is in the vault, the outbox lists the message. */
  private async keepPhotos(clientId: string, photos: { blob: Blob }[]): Promise<void> {
    const blobs = photos.map((p) => p.blob);
    const stillWaiting = () => !this.disposed && this.find(clientId) !== undefined;
    if (await this.outbox.keep(clientId, blobs, stillWaiting)) this.saveOutbox();
  }

  /**
   * After a reload: reads the files of restored photo messages back from the vault, shows them and
   * sends those messages; drops files no restored message needs (sent by the page before).
   */
  private async readBackPhotos(): Promise<void> {
    const waiting = this.entries.filter((e) => e.mine && e.seq === null && e.pendingPhotos.some((p) => p.upload === null));
    if (!this.outbox.keepsPhotos) {
      for (const e of waiting) this.patch(e.clientId, { status: ChatEntryStatus.failed, failure: ChatFailure.upload });
      return;
    }
    await this.outbox.tidy(this.entries);
    for (const entry of waiting) {
      const photos = await this.outbox.readBack(entry);
      if (this.disposed) return;
      if (!this.find(entry.clientId)) continue;
      if (photos.some((p) => p.upload === null && p.blob === null)) {
        // The file is gone (storage cleared): the message cannot be sent, and is not kept again.
        this.outbox.lost(entry.clientId);
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
    this.ackTimeouts.arm(clientId);
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
    const merged = mergeConfirmed(this.entries, messages, this.o.role);
    if (merged.entries === this.entries) return;
    this.entries = merged.entries;
    this.lastSeq = merged.lastSeq;
    for (const own of merged.confirmed) {
      this.ackTimeouts.disarm(own.clientId);
      void this.outbox.forget(own.clientId, own.pendingPhotos.length);
    }
    // Only a confirmed own message leaves the outbox; the other side's messages do not touch it.
    if (merged.confirmed.length > 0) this.saveOutbox();
    if (this.open) this.markRead();
    this.changed();
  }

  private rejected(frame: ChatRejected): void {
    if (!this.find(frame.clientId)) return;
    this.ackTimeouts.disarm(frame.clientId);
    this.patch(frame.clientId, { status: ChatEntryStatus.failed, failure: ChatFailure.rejected });
    // The relay refused it for good; resending it after a reload would only be refused again.
    this.saveOutbox();
    void this.outbox.forget(frame.clientId, this.find(frame.clientId)?.pendingPhotos.length ?? 0);
  }

  private saveOutbox(): void {
    if (!this.disposed) this.outbox.save(this.entries);
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
