import {
  ChatStore,
  UploadFailure,
  createPhotoUploader,
  indexedDbPhotoVault,
  type PhotoVault,
  type RelaySocket,
} from '@live-assist/client-core';

type ChatStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Owns the page's ChatStore. The call store opens the relay socket after join; the chat attaches
 * to that same socket here, so the call logic needs no chat knowledge.
 */
export class CustomerChatHolder {
  private store: ChatStore | null = null;
  private readonly listeners = new Set<() => void>();
  /** Files of photo messages not yet with the relay; absent where the browser has no IndexedDB. */
  private readonly photos: PhotoVault | undefined = typeof indexedDB === 'undefined' ? undefined : indexedDbPhotoVault();

  constructor(private readonly storage: ChatStorage) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly current = (): ChatStore | null => this.store;

  /** Wraps `openSocket`: every new socket gets a fresh chat bound to it. */
  bind(socket: RelaySocket, participantToken: string): RelaySocket {
    this.store?.dispose();
    // The read position survives a reload so old messages do not count as unread again.
    const seat = participantToken.slice(0, 16);
    const readKey = `live-assist:chat-read:${seat}`;
    const readSeq = Number(this.storage.getItem(readKey) ?? 0) || 0;
    this.store = new ChatStore({
      socket,
      role: 'customer',
      readSeq,
      onRead: (seq) => this.storage.setItem(readKey, String(seq)),
      // Messages sent while offline (photos too) survive a reload and go out under their original
      // client id.
      outbox: { storage: this.storage, key: `live-assist:chat-outbox:${seat}`, ...(this.photos ? { photos: this.photos } : {}) },
      uploader: {
        upload: (photo) => {
          const sessionId = socket.welcome?.sessionId;
          // Not connected yet (a reload restoring its outbox): the chat retries after the welcome.
          if (!sessionId) return Promise.reject(new UploadFailure('network', 'not connected yet'));
          return createPhotoUploader({ baseUrl: '', sessionId, participantToken }).upload(photo);
        },
      },
    });
    for (const listener of [...this.listeners]) listener();
    return socket;
  }
}
