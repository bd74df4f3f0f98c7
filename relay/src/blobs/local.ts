import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkFolder, checkKey, folderOf, isBlobKey, type BlobStore } from './store.js';

/** No such file, or a file where its folder should be: either way the key holds nothing. */
const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * Files under one folder (`DATA_DIR` on SQLite), a key being the path below it: the layout the
 * relay has always used, so an existing installation finds its files where they are.
 */
export function localBlobs(dir: string): BlobStore {
  const pathOf = (key: string): string => {
    checkKey(key);
    return join(dir, key);
  };
  const folderPath = (folder: string): string => {
    checkFolder(folder);
    return join(dir, folder);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(join(dir, folderOf(key)), { recursive: true });
      // Written aside and renamed: a photo being served while it is replaced is never half a file.
      // The leading dot is not a key, so `list` skips the temporary file; `deleteFolder` removes it.
      const temporary = join(dir, folderOf(key), `.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async size(key) {
      try {
        const info = await stat(pathOf(key));
        return info.isFile() ? info.size : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async list(folder) {
      const entries = await readdir(folderPath(folder), { withFileTypes: true }).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw error;
      });
      return (
        entries
          .filter((e) => e.isFile())
          .map((e) => `${folder}/${e.name}`)
          // Temporary files of `put` (and anything else not written under a key) are not listed.
          .filter(isBlobKey)
          .sort()
      );
    },
    async deleteFolder(folder) {
      const path = folderPath(folder);
      const entries = await readdir(path, { withFileTypes: true }).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw error;
      });
      // Left-over temporary files are personal data too: every file goes, then the empty folder.
      for (const e of entries) if (e.isFile()) await rm(join(path, e.name), { force: true });
      await rmdir(path).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTEMPTY') throw error;
      });
    },
  };
}
