/**
 * Bytes the relay keeps for a session (photos and their previews, long chat transcripts), by key.
 * With several relays on one PostgreSQL any of them must serve any session's files, so nothing
 * outside this interface reads or writes them.
 *
 * A key is a folder and a file name, `/`-separated: `uploads/<sessionId>/<file>`,
 * `writeback/<sessionId>/<file>`. Keys come from ids and names the relay made, never from a
 * request, but they end up in file paths: each one is checked (see `checkKey`).
 */
export interface BlobStore {
  /** Creates or replaces the file; a reader never sees part of it. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** null: no such file. */
  get(key: string): Promise<Buffer | null>;
  /** Bytes of the file without reading it; null: no such file. */
  size(key: string): Promise<number | null>;
  /** Deleting a file that is not there is fine (a second sweep, another relay). */
  delete(key: string): Promise<void>;
  /** Keys of the files directly in `folder`, sorted. */
  list(folder: string): Promise<string[]>;
  /** Deletes every file directly in `folder` (the relay keeps no deeper folders). */
  deleteFolder(folder: string): Promise<void>;
}

export class BlobKeyError extends Error {
  override name = 'BlobKeyError';
}

/**
 * Plain names only: no `.` or `..` segment, no leading `/`, no empty segment, no backslash or
 * other character a file system or a LIKE pattern would read specially.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const MAX_KEY = 512;

function isPath(path: string, minSegments: number): boolean {
  const segments = path.split('/');
  return path.length <= MAX_KEY && segments.length >= minSegments && segments.every((s) => SEGMENT.test(s));
}

/** A folder and a file name. */
export function isBlobKey(key: string): boolean {
  return isPath(key, 2);
}

/** Throws BlobKeyError unless `key` is a folder and a file name. */
export function checkKey(key: string): void {
  if (!isBlobKey(key)) throw new BlobKeyError(`not a valid blob key: ${JSON.stringify(key)}`);
}

/** Throws BlobKeyError unless `folder` is one or more folder names. */
export function checkFolder(folder: string): void {
  if (!isPath(folder, 1)) throw new BlobKeyError(`not a valid blob folder: ${JSON.stringify(folder)}`);
}

/** The key without its file name: what `list` and `deleteFolder` take. */
export function folderOf(key: string): string {
  checkKey(key);
  return key.slice(0, key.lastIndexOf('/'));
}

/** The areas that hold a session's files; privacy export and erasure go through all of them. */
export const BlobArea = { uploads: 'uploads', writeback: 'writeback' } as const;
export type BlobArea = (typeof BlobArea)[keyof typeof BlobArea];

export function sessionFolder(area: BlobArea, sessionId: string): string {
  const folder = `${area}/${sessionId}`;
  checkFolder(folder);
  return folder;
}

export function sessionKey(area: BlobArea, sessionId: string, file: string): string {
  const key = `${sessionFolder(area, sessionId)}/${file}`;
  checkKey(key);
  return key;
}
