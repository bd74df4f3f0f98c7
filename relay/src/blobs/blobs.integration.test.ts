import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../db/database.js';
import { openStorage } from '../db/storage.js';
import { testDatabase } from '../testing/db.js';
import { BlobKeyError, databaseBlobs, localBlobs, type BlobStore } from './index.js';

interface Opened {
  blobs: BlobStore;
  /** The same files through another connection (or process): another relay. */
  other: BlobStore;
  close(): Promise<void>;
}

async function onDatabase(engine: Engine, dir: string): Promise<Opened> {
  const db = await testDatabase(engine, join(dir, 'relay.sqlite'));
  const first = await openStorage(db.target);
  const second = await openStorage(db.target);
  return {
    blobs: databaseBlobs(first.database),
    other: databaseBlobs(second.database),
    async close() {
      await first.close();
      await second.close();
      await db.drop();
    },
  };
}

const STORES: { name: string; open(dir: string): Promise<Opened> }[] = [
  { name: 'a local folder', open: async (dir) => ({ blobs: localBlobs(dir), other: localBlobs(dir), close: async () => {} }) },
  { name: 'the database on SQLite', open: (dir) => onDatabase(Engine.sqlite, dir) },
  { name: 'the database on PostgreSQL', open: (dir) => onDatabase(Engine.postgres, dir) },
];

const BAD_KEYS = [
  '../escape/x.jpg',
  'uploads/../../escape.jpg',
  'uploads/s1/../../../escape.jpg',
  '/etc/passwd',
  'uploads//x.jpg',
  'uploads/s1/',
  'x.jpg',
  '',
  'uploads\\s1\\x.jpg',
  'uploads/s1/.hidden',
  'uploads/s1/a b.jpg',
  'uploads/%/x.jpg',
  `uploads/s1/${'a'.repeat(201)}`,
];
const BAD_FOLDERS = ['..', '/tmp', '', 'uploads/', 'uploads/../..', 'uploads/%'];

describe.each(STORES)('blob store: $name', ({ open }) => {
  let root: string;
  let dir: string;
  let store: Opened;

  // The store's folder sits in a folder of the test's own, so an escape would land where the test looks.
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'la-blobs-'));
    dir = join(root, 'data');
    mkdirSync(dir);
    store = await open(dir);
  });

  afterEach(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives back exactly the bytes put, to another relay too, and their size without reading them', async () => {
    const bytes = Buffer.concat([Buffer.alloc(1000), randomBytes(300_000), Buffer.from([0, 0xff, 0])]);
    await store.blobs.put('uploads/s1/a.jpg', bytes);
    expect((await store.other.get('uploads/s1/a.jpg'))?.equals(bytes)).toBe(true);
    expect(await store.other.size('uploads/s1/a.jpg')).toBe(bytes.length);
    expect(await store.blobs.get('uploads/s1/b.jpg')).toBeNull();
    expect(await store.blobs.size('uploads/s1/b.jpg')).toBeNull();
  });

  it('replaces a file, and stores only the bytes of a view into a larger buffer', async () => {
    await store.blobs.put('writeback/s1/chat.txt', Buffer.from('first version, longer'));
    const backing = Buffer.from('xxsecondyy');
    await store.blobs.put('writeback/s1/chat.txt', backing.subarray(2, 8));
    expect((await store.other.get('writeback/s1/chat.txt'))?.toString()).toBe('second');
    expect(await store.blobs.size('writeback/s1/chat.txt')).toBe(6);
  });

  it('lists and deletes one session’s folder, not a session whose id starts the same or differs in case', async () => {
    for (const key of ['uploads/ab/2.jpg', 'uploads/ab/1.jpg', 'uploads/abc/1.jpg', 'uploads/AB/1.jpg', 'writeback/ab/chat.txt']) {
      await store.blobs.put(key, Buffer.from(key));
    }
    expect(await store.other.list('uploads/ab')).toEqual(['uploads/ab/1.jpg', 'uploads/ab/2.jpg']);
    await store.other.deleteFolder('uploads/ab');
    expect(await store.blobs.list('uploads/ab')).toEqual([]);
    expect(await store.blobs.get('uploads/ab/1.jpg')).toBeNull();
    expect(await store.blobs.list('uploads/abc')).toEqual(['uploads/abc/1.jpg']);
    expect(await store.blobs.list('uploads/AB')).toEqual(['uploads/AB/1.jpg']);
    expect(await store.blobs.list('writeback/ab')).toEqual(['writeback/ab/chat.txt']);
    // Again, or a file or folder never written: nothing to do, no error (a second sweep, another relay).
    await store.blobs.deleteFolder('uploads/ab');
    await store.blobs.deleteFolder('uploads/never');
    await store.blobs.delete('uploads/abc/1.jpg');
    await store.blobs.delete('uploads/abc/1.jpg');
    expect(await store.blobs.list('uploads/abc')).toEqual([]);
  });

  it('refuses keys and folders that could leave their place (.., absolute, empty parts, odd characters), writing nothing', async () => {
    for (const key of BAD_KEYS) {
      await expect(store.blobs.put(key, Buffer.from('x')), key).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.blobs.get(key), key).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.blobs.size(key), key).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.blobs.delete(key), key).rejects.toBeInstanceOf(BlobKeyError);
    }
    for (const folder of BAD_FOLDERS) {
      await expect(store.blobs.list(folder), folder).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.blobs.deleteFolder(folder), folder).rejects.toBeInstanceOf(BlobKeyError);
    }
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
    expect(existsSync(join(dir, '..', 'escape.jpg'))).toBe(false);
    expect(readdirSync(dir).filter((f) => !f.startsWith('relay.sqlite'))).toEqual([]);
  });
});

describe('blob store: a local folder keeps the DATA_DIR layout', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'la-blobs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files an existing installation already has, and deleting a folder removes it with stray files', async () => {
    const blobs = localBlobs(dir);
    await blobs.put('uploads/s1/a.jpg', Buffer.from('new'));
    expect(readFileSync(join(dir, 'uploads', 's1', 'a.jpg'), 'utf8')).toBe('new');
    // As a relay from before the blob store left them, including a half-written temporary file.
    writeFileSync(join(dir, 'uploads', 's1', 'old.preview.jpg'), 'old');
    writeFileSync(join(dir, 'uploads', 's1', '.1234.tmp'), 'half');
    expect(await blobs.list('uploads/s1')).toEqual(['uploads/s1/a.jpg', 'uploads/s1/old.preview.jpg']);
    expect((await blobs.get('uploads/s1/old.preview.jpg'))?.toString()).toBe('old');
    await blobs.deleteFolder('uploads/s1');
    expect(existsSync(join(dir, 'uploads', 's1'))).toBe(false);
  });
});
