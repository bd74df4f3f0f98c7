import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientToRelaySchema, type ClientToRelay, type RelayToClient, type UploadView } from '@live-assist/protocol';
import { Emitter } from '../emitter.js';
import type { RelaySocketEvents, RelaySocketStatus } from '../socket.js';
import { chatMessage as message } from '../testing/chat-fixtures.js';
import { MemoryPhotoVault } from './photo-vault.js';
import type { ChatOutboxStorage } from './outbox.js';
import { ChatStore, type ChatSocket } from './store.js';
import { UploadFailure, type PhotoUploader } from './upload.js';

class FakeSocket implements ChatSocket {
  status: RelaySocketStatus = 'connecting';
  readonly sent: ClientToRelay[] = [];
  private readonly emitter = new Emitter<RelaySocketEvents>();
  on<K extends 'welcome' | 'frame' | 'status'>(event: K, handler: (p: RelaySocketEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }
  send(frame: ClientToRelay): boolean {
    // Whatever the store sends must be a frame the relay accepts.
    ClientToRelaySchema.parse(frame);
    if (this.status !== 'open') return false;
    this.sent.push(frame);
    return true;
  }
  welcome(): void {
    this.status = 'open';
    this.emitter.emit('status', 'open');
    this.emitter.emit('welcome', {
      type: 'welcome',
      protocolVersion: 1,
      sessionId: 'session-1',
      role: 'customer',
      connectionId: 'c1',
      media: { mode: 'p2p', iceServers: [] },
      participants: [],
    });
  }
  drop(): void {
    this.status = 'reconnecting';
    this.emitter.emit('status', 'reconnecting');
  }
  deliver(frame: RelayToClient): void {
    this.emitter.emit('frame', frame);
  }
  sends(): Extract<ClientToRelay, { type: 'chat-send' }>[] {
    return this.sent.filter((f): f is Extract<ClientToRelay, { type: 'chat-send' }> => f.type === 'chat-send');
  }
}

const upload: UploadView = {
  id: 'upload-0001',
  purpose: 'photo',
  contentType: 'image/jpeg',
  bytes: 100,
  width: 10,
  height: 10,
  url: 'http://relay/api/uploads/upload-0001/original?exp=1&sig=x',
  previewUrl: 'http://relay/api/uploads/upload-0001/preview?exp=1&sig=x',
  createdAt: new Date(0).toISOString(),
};

const okUploader: PhotoUploader = { upload: async () => upload };

/** `sessionStorage` as the page has it: strings only, survives a reload of the page. */
class MemoryStorage implements ChatOutboxStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const OUTBOX_KEY = 'live-assist:chat-outbox:seat';

function setup(
  over: { uploader?: PhotoUploader; readSeq?: number; storage?: MemoryStorage; vault?: MemoryPhotoVault; idPrefix?: string } = {},
) {
  const socket = new FakeSocket();
  let n = 0;
  const reads: number[] = [];
  const store = new ChatStore({
    socket,
    role: 'customer',
    uploader: over.uploader ?? okUploader,
    newClientId: () => `${over.idPrefix ?? 'client-id'}-${++n}`,
    readSeq: over.readSeq,
    onRead: (seq) => reads.push(seq),
    ackTimeoutMs: 5_000,
    ...(over.storage ? { outbox: { storage: over.storage, key: OUTBOX_KEY, ...(over.vault ? { photos: over.vault } : {}) } } : {}),
  });
  return { socket, store, reads };
}

/** A page reload: the old store goes with the page; a new one starts over the same storage. */
function reload(storage: MemoryStorage, old: ChatStore, more: { vault?: MemoryPhotoVault; uploader?: PhotoUploader } = {}) {
  old.dispose();
  return setup({ storage, idPrefix: 'after-reload', ...more });
}

/** Uploads succeed only while `online`; every attempt is counted. */
function networkUploader(socket: () => FakeSocket) {
  const calls: Blob[] = [];
  const uploader: PhotoUploader = {
    upload: async (blob) => {
      calls.push(blob);
      if (socket().status !== 'open') throw new UploadFailure('network', 'offline');
      return upload;
    },
  };
  return { uploader, calls };
}

describe('ChatStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for what it missed after every welcome, from the last seq it has', () => {
    const { socket } = setup();
    socket.welcome();
    expect(socket.sent).toEqual([{ type: 'chat-sync', afterSeq: 0 }]);
    socket.deliver({ type: 'chat-history', messages: [message(1), message(2)], more: false });
    socket.drop();
    socket.welcome();
    expect(socket.sent.at(-1)).toEqual({ type: 'chat-sync', afterSeq: 2 });
  });

  it('pages through long histories', () => {
    const { socket, store } = setup();
    socket.welcome();
    socket.deliver({ type: 'chat-history', messages: [message(1), message(2)], more: true });
    expect(socket.sent.at(-1)).toEqual({ type: 'chat-sync', afterSeq: 2 });
    socket.deliver({ type: 'chat-history', messages: [message(3)], more: false });
    expect(store.getSnapshot().entries.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('never shows a message twice, whether it comes live, in a replay or both, and keeps seq order', () => {
    const { socket, store } = setup();
    socket.welcome();
    socket.deliver({ type: 'chat-message', message: message(2) });
    socket.deliver({ type: 'chat-history', messages: [message(1), message(2), message(3)], more: false });
    socket.deliver({ type: 'chat-message', message: message(3) });
    expect(store.getSnapshot().entries.map((e) => e.text)).toEqual(['text 1', 'text 2', 'text 3']);
  });

  it('shows an own message as sending, then sent once the relay echoes its client id', () => {
    const { socket, store } = setup();
    socket.welcome();
    expect(store.send({ text: '  hello  ' })).toBe(true);
    const [entry] = store.getSnapshot().entries;
    expect(entry).toMatchObject({ mine: true, text: 'hello', status: 'sending', seq: null });
    expect(socket.sends()).toEqual([{ type: 'chat-send', clientId: 'client-id-1', text: 'hello', attachments: [] }]);
    socket.deliver({ type: 'chat-message', message: message(1, { clientId: 'client-id-1', from: 'customer', text: 'hello' }) });
    expect(store.getSnapshot().entries).toHaveLength(1);
    expect(store.getSnapshot().entries[0]).toMatchObject({ status: 'sent', seq: 1, mine: true });
  });

  it('keeps messages typed offline and sends them after reconnecting, once', () => {
    const { socket, store } = setup();
    socket.welcome();
    socket.drop();
    store.send({ text: 'typed in the tunnel' });
    expect(socket.sends()).toHaveLength(0);
    expect(store.getSnapshot().online).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(store.getSnapshot().entries[0]?.status).toBe('sending');
    socket.welcome();
    expect(socket.sends().map((f) => f.text)).toEqual(['typed in the tunnel']);
  });

  it('marks an unanswered send failed and retries it with the same client id', () => {
    const { socket, store } = setup();
    socket.welcome();
    store.send({ text: 'anyone?' });
    vi.advanceTimersByTime(5_001);
    expect(store.getSnapshot().entries[0]).toMatchObject({ status: 'failed', failure: 'timeout' });
    store.retry('client-id-1');
    expect(store.getSnapshot().entries[0]?.status).toBe('sending');
    expect(socket.sends().map((f) => f.clientId)).toEqual(['client-id-1', 'client-id-1']);
    socket.deliver({ type: 'chat-message', message: message(1, { clientId: 'client-id-1', from: 'customer' }) });
    expect(store.getSnapshot().entries[0]?.status).toBe('sent');
  });

  it('marks a refused send failed', () => {
    const { socket, store } = setup();
    socket.welcome();
    store.send({ text: 'reply', replyTo: message(9) });
    expect(socket.sends()[0]?.replyTo).toBe('message-9');
    socket.deliver({ type: 'chat-rejected', clientId: 'client-id-1', reason: 'bad-reply', message: 'nope' });
    expect(store.getSnapshot().entries[0]).toMatchObject({ status: 'failed', failure: 'rejected' });
  });

  it('refuses empty and over-long text without sending', () => {
    const { socket, store } = setup();
    socket.welcome();
    expect(store.send({ text: '   ' })).toBe(false);
    expect(store.send({ text: 'x'.repeat(2001) })).toBe(false);
    expect(store.send({ text: 'x'.repeat(2000) })).toBe(true);
    expect(socket.sends()).toHaveLength(1);
  });

  it('uploads photos first and sends their ids; a refused photo fails the message with its reason', async () => {
    const { socket, store } = setup();
    socket.welcome();
    store.send({ text: '', photos: [{ blob: new Blob(['x']), localUrl: 'blob:1' }] });
    await vi.runAllTimersAsync();
    expect(socket.sends()[0]).toMatchObject({ attachments: ['upload-0001'], text: '' });

    const refusing = setup({ uploader: { upload: () => Promise.reject(new UploadFailure('unsupported', 'no')) } });
    refusing.socket.welcome();
    refusing.store.send({ text: 'look', photos: [{ blob: new Blob(['%PDF']), localUrl: null }] });
    await vi.runAllTimersAsync();
    expect(refusing.store.getSnapshot().entries[0]).toMatchObject({ status: 'failed', failure: 'unsupported' });
    expect(refusing.socket.sends()).toHaveLength(0);

    const full = setup({ uploader: { upload: () => Promise.reject(new UploadFailure('quota', 'full')) } });
    full.socket.welcome();
    full.store.send({ text: 'one more', photos: [{ blob: new Blob(['jpeg']), localUrl: null }] });
    await vi.runAllTimersAsync();
    expect(full.store.getSnapshot().entries[0]).toMatchObject({ status: 'failed', failure: 'quota' });
  });

  it('counts unread messages from the other side while closed, and remembers the read position', () => {
    const { socket, store, reads } = setup({ readSeq: 1 });
    socket.welcome();
    socket.deliver({ type: 'chat-history', messages: [message(1), message(2), message(3, { from: 'customer' })], more: false });
    expect(store.getSnapshot().unread).toBe(1);
    socket.deliver({ type: 'chat-message', message: message(4) });
    expect(store.getSnapshot().unread).toBe(2);
    store.setOpen(true);
    expect(store.getSnapshot().unread).toBe(0);
    expect(reads).toEqual([4]);
    socket.deliver({ type: 'chat-message', message: message(5) });
    expect(store.getSnapshot().unread).toBe(0);
    store.setOpen(false);
    socket.deliver({ type: 'chat-message', message: message(6) });
    expect(store.getSnapshot().unread).toBe(1);
  });
  describe('outbox across a page reload', () => {
    it('shows text typed offline as sending again after a reload, in order, and sends it with the same client ids', () => {
      const storage = new MemoryStorage();
      const before = setup({ storage });
      before.socket.welcome();
      before.socket.drop();
      before.store.send({ text: 'first, in the tunnel' });
      before.store.send({ text: 'second', replyTo: message(7) });
      expect(before.socket.sends()).toHaveLength(0);

      const after = reload(storage, before.store);
      expect(after.store.getSnapshot().entries).toMatchObject([
        { mine: true, from: 'customer', text: 'first, in the tunnel', status: 'sending', clientId: 'client-id-1', seq: null },
        { mine: true, text: 'second', status: 'sending', clientId: 'client-id-2', replyTo: { id: 'message-7' } },
      ]);
      expect(after.socket.sends()).toHaveLength(0);

      after.socket.welcome();
      expect(after.socket.sent[0]).toEqual({ type: 'chat-sync', afterSeq: 0 });
      expect(after.socket.sends()).toEqual([
        { type: 'chat-send', clientId: 'client-id-1', text: 'first, in the tunnel', attachments: [] },
        { type: 'chat-send', clientId: 'client-id-2', text: 'second', attachments: [], replyTo: 'message-7' },
      ]);
    });

    it('forgets a message once the relay acknowledged it', () => {
      const storage = new MemoryStorage();
      const before = setup({ storage });
      before.socket.welcome();
      before.store.send({ text: 'hello' });
      expect(storage.getItem(OUTBOX_KEY)).toContain('client-id-1');
      before.socket.deliver({ type: 'chat-message', message: message(1, { clientId: 'client-id-1', from: 'customer', text: 'hello' }) });
      expect(storage.getItem(OUTBOX_KEY)).toBeNull();

      const after = reload(storage, before.store);
      expect(after.store.getSnapshot().entries).toEqual([]);
      after.socket.welcome();
      expect(after.socket.sends()).toEqual([]);
    });

    it('shows a message the relay already had once, as sent, when its acknowledgement was lost to the reload', () => {
      const storage = new MemoryStorage();
      const before = setup({ storage });
      before.socket.welcome();
      before.store.send({ text: 'did it arrive?' });
      expect(before.socket.sends()).toHaveLength(1);
      // The relay stored it, but the page reloaded before the acknowledgement came back.

      const after = reload(storage, before.store);
      expect(after.store.getSnapshot().entries.map((e) => [e.text, e.status])).toEqual([['did it arrive?', 'sending']]);
      after.socket.welcome();
      expect(after.socket.sends().map((f) => f.clientId)).toEqual(['client-id-1']);
      const stored = message(1, { clientId: 'client-id-1', from: 'customer', text: 'did it arrive?' });
      after.socket.deliver({ type: 'chat-history', messages: [stored, message(2)], more: false });
      // The resend with the same client id is answered with the stored copy again.
      after.socket.deliver({ type: 'chat-message', message: stored });
      const entries = after.store.getSnapshot().entries;
      expect(entries.filter((e) => e.text === 'did it arrive?')).toHaveLength(1);
      expect(entries.map((e) => [e.seq, e.status])).toEqual([
        [1, 'sent'],
        [2, 'sent'],
      ]);
      expect(storage.getItem(OUTBOX_KEY)).toBeNull();
    });

    it('keeps a message whose answer timed out (its photo as the upload), drops one the relay refused', async () => {
      const storage = new MemoryStorage();
      const before = setup({ storage });
      before.socket.welcome();
      before.store.send({ text: 'no answer' });
      before.store.send({ text: 'refused', replyTo: message(9) });
      before.store.send({ text: 'with a photo', photos: [{ blob: new Blob(['x']), localUrl: 'blob:1' }] });
      before.socket.deliver({ type: 'chat-rejected', clientId: 'client-id-2', reason: 'bad-reply', message: 'nope' });
      await vi.advanceTimersByTimeAsync(5_001);
      expect(before.store.getSnapshot().entries.map((e) => e.status)).toEqual(['failed', 'failed', 'failed']);

      const after = reload(storage, before.store);
      expect(after.store.getSnapshot().entries.map((e) => [e.text, e.status, e.pendingPhotos.map((p) => p.localUrl)])).toEqual([
        ['no answer', 'sending', []],
        ['with a photo', 'sending', [upload.previewUrl]],
      ]);
    });

    it('without a photo vault, a photo not yet uploaded is lost with the page', async () => {
      const storage = new MemoryStorage();
      const before = setup({ storage });
      const { uploader } = networkUploader(() => before.socket);
      const offline = reload(storage, before.store, { uploader });
      offline.store.send({ text: 'label', photos: [{ blob: new Blob(['jpeg']), localUrl: 'blob:1' }] });
      await vi.advanceTimersByTimeAsync(0);
      expect(storage.getItem(OUTBOX_KEY)).toBeNull();
    });

    it('keeps a photo sent offline across a reload: read back from the vault, uploaded once back online, sent once, then forgotten', async () => {
      const storage = new MemoryStorage();
      const vault = new MemoryPhotoVault();
      const file = new Blob(['jpeg bytes'], { type: 'image/jpeg' });
      let current: FakeSocket | null = null;
      const net = networkUploader(() => current!);
      const before = setup({ storage, vault, uploader: net.uploader });
      current = before.socket;
      before.store.send({ text: 'the label', photos: [{ blob: file, localUrl: 'blob:picked' }] });
      await vi.advanceTimersByTimeAsync(0);
      // The upload failed for lack of a network: the message waits instead of failing.
      expect(net.calls).toHaveLength(1);
      expect(before.store.getSnapshot().entries.map((e) => [e.status, e.failure])).toEqual([['sending', null]]);
      expect([...vault.items.keys()]).toEqual([`${OUTBOX_KEY}:client-id-1:0`]);
      // A file left behind by a message an earlier page did send.
      await vault.put(`${OUTBOX_KEY}:sent-long-ago:0`, new Blob(['old']));

      const after = reload(storage, before.store, { vault, uploader: net.uploader });
      current = after.socket;
      expect(after.store.getSnapshot().entries).toMatchObject([{ text: 'the label', status: 'sending', clientId: 'client-id-1' }]);
      await vi.advanceTimersByTimeAsync(0);
      const shown = after.store.getSnapshot().entries[0]!.pendingPhotos[0]!;
      expect(await shown.blob?.text()).toBe('jpeg bytes');
      expect(shown.localUrl).toMatch(/^blob:/);
      expect([...vault.items.keys()]).toEqual([`${OUTBOX_KEY}:client-id-1:0`]);
      expect(after.socket.sends()).toEqual([]);

      after.socket.welcome();
      await vi.advanceTimersByTimeAsync(0);
      expect(after.socket.sends()).toEqual([{ type: 'chat-send', clientId: 'client-id-1', text: 'the label', attachments: [upload.id] }]);
      expect(net.calls).toHaveLength(3);
      after.socket.deliver({
        type: 'chat-message',
        message: message(1, { clientId: 'client-id-1', from: 'customer', text: 'the label', attachments: [upload] }),
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(after.store.getSnapshot().entries.map((e) => [e.status, e.attachments.length])).toEqual([['sent', 1]]);
      expect(vault.items.size).toBe(0);
      expect(storage.getItem(OUTBOX_KEY)).toBeNull();
    });

    it('sends a photo uploaded before the reload without uploading it again', async () => {
      const storage = new MemoryStorage();
      const vault = new MemoryPhotoVault();
      const before = setup({ storage, vault });
      before.socket.welcome();
      before.store.send({ text: '', photos: [{ blob: new Blob(['jpeg']), localUrl: 'blob:picked' }] });
      await vi.advanceTimersByTimeAsync(0);
      expect(before.socket.sends()).toHaveLength(1);
      // Reloaded before the relay's answer arrived.
      const calls: Blob[] = [];
      const after = reload(storage, before.store, { vault, uploader: { upload: async (b) => (calls.push(b), upload) } });
      await vi.advanceTimersByTimeAsync(0);
      expect(after.store.getSnapshot().entries[0]!.pendingPhotos.map((p) => p.localUrl)).toEqual([upload.previewUrl]);
      after.socket.welcome();
      await vi.advanceTimersByTimeAsync(0);
      expect(after.socket.sends()).toEqual([{ type: 'chat-send', clientId: 'client-id-1', text: '', attachments: [upload.id] }]);
      expect(calls).toEqual([]);
    });

    it('fails a photo message whose file is gone after the reload, and does not keep it again', async () => {
      const storage = new MemoryStorage();
      const vault = new MemoryPhotoVault();
      const before = setup({ storage, vault });
      const net = networkUploader(() => before.socket);
      const offline = reload(storage, before.store, { vault, uploader: net.uploader });
      offline.store.send({ text: 'label', photos: [{ blob: new Blob(['jpeg']), localUrl: 'blob:1' }] });
      await vi.advanceTimersByTimeAsync(0);
      expect(storage.getItem(OUTBOX_KEY)).toContain('after-reload-1');
      vault.items.clear();

      const after = reload(storage, offline.store, { vault });
      await vi.advanceTimersByTimeAsync(0);
      expect(after.store.getSnapshot().entries.map((e) => [e.text, e.status, e.failure])).toEqual([['label', 'failed', 'upload']]);
      expect(storage.getItem(OUTBOX_KEY)).toBeNull();
    });

    it('starts empty when what is stored is not an outbox', () => {
      const storage = new MemoryStorage();
      storage.setItem(OUTBOX_KEY, '{not json');
      expect(setup({ storage }).store.getSnapshot().entries).toEqual([]);
      storage.setItem(OUTBOX_KEY, JSON.stringify([{ clientId: 'x', text: 1 }]));
      expect(setup({ storage }).store.getSnapshot().entries).toEqual([]);
    });
  });
});
