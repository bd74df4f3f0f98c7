import type { Role, UploadPurpose, UploadView } from '@live-assist/protocol';
import { BlobArea, sessionKey, type BlobStore } from '../blobs/index.js';
import { randomId } from '../tokens.js';
import { processImage } from './process.js';
import { UploadUrlSigner, type UploadVariant } from './signing.js';
import type { UploadRecord, UploadRepository } from './store.js';

export interface UploadServiceDeps {
  repo: UploadRepository;
  /** Where originals and previews go, under `uploads/<sessionId>/`. */
  blobs: BlobStore;
  secret: Uint8Array;
  publicUrl: string;
  now: () => number;
  /** How long a signed URL works; long enough for a chat to load its thumbnails. */
  urlTtlMs?: number;
  /** What one session may upload in all; unlimited when absent. */
  quota?: { files: number; bytes: number };
  /** Counts the bytes of every upload handed in (the relay's upload metric). */
  received?: { inc(bytes: number): void };
}

/** Why an upload of `incoming` bytes would go over the session's quota, or null when it fits. */
export type QuotaCheck = (incoming: number) => string | null;

const DEFAULT_URL_TTL_MS = 60 * 60 * 1000;

/** Stores cleaned photos and hands out signed URLs to them. */
export class UploadService {
  private readonly signer: UploadUrlSigner;
  private readonly urlTtlMs: number;
  /** One image decode at a time per session: a burst of uploads queues instead of filling memory. */
  private readonly decoding = new Map<string, Promise<unknown>>();

  constructor(private readonly d: UploadServiceDeps) {
    this.signer = new UploadUrlSigner(d.secret);
    this.urlTtlMs = d.urlTtlMs ?? DEFAULT_URL_TTL_MS;
  }

  get repo(): UploadRepository {
    return this.d.repo;
  }

  /**
   * What the session holds now, read once, as a check for the upload on its way (before its body
   * is read, with 0, and after). Soft: two uploads racing may both pass; the next one is refused.
   */
  async quotaCheck(sessionId: string): Promise<QuotaCheck> {
    const quota = this.d.quota;
    if (!quota) return () => null;
    const stored = await this.d.repo.listForSession(sessionId);
    const bytes = stored.reduce((sum, r) => sum + r.bytes, 0);
    return (incoming) => {
      if (stored.length >= quota.files) return `This session already holds ${quota.files} photos, the most it can keep.`;
      if (bytes + incoming > quota.bytes) {
        return `This session already holds ${Math.round(bytes / (1024 * 1024))} MB of photos, the most it can keep.`;
      }
      return null;
    };
  }

  /** Throws UnsupportedImageError for anything that is not a readable JPEG/PNG/WebP/HEIC. */
  private decodeInTurn(sessionId: string, bytes: Buffer): ReturnType<typeof processImage> {
    const before = this.decoding.get(sessionId) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => processImage(bytes));
    const settled = mine.catch(() => undefined);
    this.decoding.set(sessionId, settled);
    void settled.then(() => {
      if (this.decoding.get(sessionId) === settled) this.decoding.delete(sessionId);
    });
    return mine;
  }

  async store(sessionId: string, purpose: UploadPurpose, role: Role, bytes: Buffer): Promise<UploadRecord> {
    this.d.received?.inc(bytes.length);
    const image = await this.decodeInTurn(sessionId, bytes);
    const id = randomId();
    const record: UploadRecord = {
      id,
      sessionId,
      purpose,
      uploaderRole: role,
      contentType: image.contentType,
      bytes: image.original.length,
      width: image.width,
      height: image.height,
      originalFile: `${id}.${image.extension}`,
      previewFile: `${id}.preview.jpg`,
      createdAt: this.d.now(),
    };
    await this.d.blobs.put(this.blobKey(record, 'original'), image.original);
    await this.d.blobs.put(this.blobKey(record, 'preview'), image.preview);
    // The row goes in last: a listed upload always has its files.
    await this.d.repo.add(record);
    return record;
  }

  /** Where a stored file is kept (the write-back attaches originals by this key). */
  blobKey(record: UploadRecord, variant: UploadVariant): string {
    return uploadBlobKey(record.sessionId, variant === 'original' ? record.originalFile : record.previewFile);
  }

  /** null: the file is gone (erased while its row was being read). */
  read(record: UploadRecord, variant: UploadVariant): Promise<Buffer | null> {
    return this.d.blobs.get(this.blobKey(record, variant));
  }

  /** `ttlSeconds`: a shorter life than the default (a download link is used at once). */
  signedUrl(record: UploadRecord, variant: UploadVariant, ttlSeconds?: number): string {
    const exp = Math.floor((this.d.now() + (ttlSeconds !== undefined ? ttlSeconds * 1000 : this.urlTtlMs)) / 1000);
    const sig = this.signer.sign(record.id, variant, exp);
    return `${this.d.publicUrl}/api/uploads/${record.id}/${variant}?exp=${exp}&sig=${sig}`;
  }

  verify(id: string, variant: UploadVariant, exp: number, sig: string): boolean {
    return this.signer.verify(id, variant, exp, sig, this.d.now());
  }

  view(record: UploadRecord): UploadView {
    return {
      id: record.id,
      purpose: record.purpose,
      contentType: record.contentType,
      bytes: record.bytes,
      width: record.width,
      height: record.height,
      url: this.signedUrl(record, 'original'),
      previewUrl: this.signedUrl(record, 'preview'),
      createdAt: new Date(record.createdAt).toISOString(),
    };
  }
}

/** `uploads/<sessionId>/<file>`: the layout of DATA_DIR/uploads, kept as the key on every store. */
export function uploadBlobKey(sessionId: string, file: string): string {
  return sessionKey(BlobArea.uploads, sessionId, file);
}
