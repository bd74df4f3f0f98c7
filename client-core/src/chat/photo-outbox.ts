import type { Role } from '@live-assist/protocol';
import type { ChatEntry, PendingPhoto } from './entry.js';
import { entryFromOutbox, outboxItemsOf, readOutbox, writeOutbox, type ChatOutboxStorage } from './outbox.js';
import type { PhotoVault } from './photo-vault.js';

export type PhotoOutboxOptions = { storage: ChatOutboxStorage; key: string; photos?: PhotoVault };

/**
 * Where own messages wait across a reload until the relay confirms them: their text and uploads
 * in the outbox storage, the files of photos not uploaded yet in the photo vault (under the
 * outbox key, the client id and the photo's position). A message with photos is listed only once
 * all its files are in the vault (or uploaded); until then a reload loses it. Without options it
 * keeps nothing.
 */
export class PhotoOutbox {
  /** Own messages whose photo files are all in the vault (or uploaded), so the outbox may list them. */
  private readonly vaulted = new Set<string>();
  /** Object URLs made for photos read back from the vault. */
  private readonly ownUrls: string[] = [];

  constructor(private readonly options: PhotoOutboxOptions | undefined) {}

  /** Whether files of photo messages survive a reload (there is a vault to keep them in). */
  get keepsPhotos(): boolean {
    return Boolean(this.options?.photos);
  }

  save(entries: readonly ChatEntry[]): void {
    if (!this.options) return;
    writeOutbox(this.options.storage, this.options.key, outboxItemsOf(entries, this.vaulted));
  }

  /** Entries for the messages a previous page left unsent, in the order they were typed. */
  restore(role: Role): ChatEntry[] {
    if (!this.options) return [];
    return readOutbox(this.options.storage, this.options.key).map((item) => {
      // Files still to upload are in the vault (they were only listed once they were).
      if (item.photos.some((p) => p.upload === null)) this.vaulted.add(item.clientId);
      return entryFromOutbox(item, role);
    });
  }

  /**
   * Puts the files of a new photo message in the vault; true once all are in and the message is
   * still waiting (`stillWaiting`), so the outbox may list it from now on.
   */
  async keep(clientId: string, blobs: Blob[], stillWaiting: () => boolean): Promise<boolean> {
    const vault = this.options?.photos;
    if (!vault) return false;
    try {
      await Promise.all(blobs.map((blob, i) => vault.put(this.vaultKey(clientId, i), blob)));
    } catch (error) {
      console.warn('[chat] could not keep the photos of an unsent message', error);
      return false;
    }
    // Confirmed or refused meanwhile: nothing waits for these files any more.
    if (!stillWaiting()) {
      void this.forget(clientId, blobs.length);
      return false;
    }
    this.vaulted.add(clientId);
    return true;
  }

  /** The relay has the message (or refused it for good): its files are not needed any more. */
  forget(clientId: string, count: number): Promise<void> {
    const vault = this.options?.photos;
    if (!vault || count === 0) return Promise.resolve();
    this.vaulted.delete(clientId);
    return Promise.all(Array.from({ length: count }, (_, i) => vault.delete(this.vaultKey(clientId, i))))
      .then(() => undefined)
      .catch((error: unknown) => console.warn('[chat] could not drop the photos of a sent message', error));
  }

  /** A restored message whose files are gone (storage cleared) cannot be sent, and is not kept again. */
  lost(clientId: string): void {
    this.vaulted.delete(clientId);
  }

  /** After a reload: drops the files no restored message needs (sent by the page before). */
  async tidy(entries: readonly ChatEntry[]): Promise<void> {
    const vault = this.options?.photos;
    if (!vault) return;
    const keep = new Set(entries.flatMap((e) => e.pendingPhotos.map((_, i) => this.vaultKey(e.clientId, i))));
    try {
      const stale = (await vault.keys(this.vaultPrefix())).filter((k) => !keep.has(k));
      await Promise.all(stale.map((k) => vault.delete(k)));
    } catch (error) {
      console.warn('[chat] could not tidy the photo vault', error);
    }
  }

  /** The photos of a restored message with the files read back; a photo whose file is gone keeps `blob: null`. */
  async readBack(entry: ChatEntry): Promise<PendingPhoto[]> {
    const vault = this.options?.photos;
    if (!vault) return entry.pendingPhotos;
    return Promise.all(
      entry.pendingPhotos.map(async (p, i): Promise<PendingPhoto> => {
        if (p.upload) return p;
        const blob = await vault.get(this.vaultKey(entry.clientId, i)).catch(() => null);
        if (!blob) return p;
        const localUrl = URL.createObjectURL(blob);
        this.ownUrls.push(localUrl);
        return { blob, localUrl, upload: null };
      }),
    );
  }

  dispose(): void {
    for (const url of this.ownUrls.splice(0)) URL.revokeObjectURL(url);
  }

  /** Every file of this outbox is kept under its key and a colon. */
  private vaultPrefix(): string {
    return `${this.options?.key ?? ''}:`;
  }

  private vaultKey(clientId: string, position: number): string {
    return `${this.vaultPrefix()}${clientId}:${position}`;
  }
}
