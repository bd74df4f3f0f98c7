/**
 * Where the files of photo messages wait until the relay has them, so a reload (or a phone that
 * discards the tab while the camera app is open) does not lose a photo the customer already sent.
 * `sessionStorage` holds strings only and a few MB; the files go to IndexedDB.
 */
export interface PhotoVault {
  put(key: string, blob: Blob): Promise<void>;
  get(key: string): Promise<Blob | null>;
  delete(key: string): Promise<void>;
  /** Every stored key that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** Files older than this belong to calls long over; they are dropped when the vault opens. */
export const VAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const STORE = 'photos';

interface Stored {
  blob: Blob;
  savedAt: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function open(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(STORE);
  };
  return request(req);
}

/** Prefix range: every string key that starts with `prefix`. */
function startsWith(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/**
 * The browser's vault. Each call opens its own transaction; failures (private mode, quota) reject
 * and the chat then keeps the photo in memory only, as before.
 */
export function indexedDbPhotoVault(name = 'live-assist-chat', now: () => number = Date.now): PhotoVault {
  let db: Promise<IDBDatabase> | null = null;
  const connect = (): Promise<IDBDatabase> => {
    db ??= open(name).then(async (opened) => {
      await purgeOld(opened, now() - VAULT_MAX_AGE_MS).catch(() => undefined);
      return opened;
    });
    return db;
  };
  const store = async (mode: IDBTransactionMode) => (await connect()).transaction(STORE, mode).objectStore(STORE);
  return {
    async put(key, blob) {
      await request((await store('readwrite')).put({ blob, savedAt: now() } satisfies Stored, key));
    },
    async get(key) {
      const found = (await request((await store('readonly')).get(key))) as Stored | undefined;
      return found?.blob instanceof Blob ? found.blob : null;
    },
    async delete(key) {
      await request((await store('readwrite')).delete(key));
    },
    async keys(prefix) {
      const keys = await request((await store('readonly')).getAllKeys(startsWith(prefix)));
      return keys.filter((k): k is string => typeof k === 'string');
    },
  };
}

async function purgeOld(db: IDBDatabase, before: number): Promise<void> {
  const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
  const cursorReq = store.openCursor();
  await new Promise<void>((resolve, reject) => {
    cursorReq.onerror = () => reject(cursorReq.error ?? new Error('IndexedDB cursor failed'));
    cursorReq.onsuccess = () => {
      const cursor = cursorReq.result;
      if (!cursor) return resolve();
      const value = cursor.value as Partial<Stored> | undefined;
      if (typeof value?.savedAt !== 'number' || value.savedAt < before) cursor.delete();
      cursor.continue();
    };
  });
}

/** A vault in memory (tests, and pages without IndexedDB). */
export class MemoryPhotoVault implements PhotoVault {
  readonly items = new Map<string, Blob>();
  async put(key: string, blob: Blob): Promise<void> {
    this.items.set(key, blob);
  }
  async get(key: string): Promise<Blob | null> {
    return this.items.get(key) ?? null;
  }
  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }
  async keys(prefix: string): Promise<string[]> {
    return [...this.items.keys()].filter((k) => k.startsWith(prefix));
  }
}
