import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveToken } from '../tokens.js';

export type UploadVariant = 'original' | 'preview';

/** HMAC-signed, expiring upload URLs: `<img>` cannot send a bearer header, so the URL carries the right. */
export class UploadUrlSigner {
  private readonly key: Buffer;

  constructor(secret: Uint8Array) {
    // A key of its own, so an upload signature can never be confused with any other token.
    this.key = Buffer.from(deriveToken(secret, 'upload-url-key'), 'base64url');
  }

  private mac(id: string, variant: UploadVariant, exp: number): Buffer {
    return createHmac('sha256', this.key).update(`${id}\0${variant}\0${exp}`, 'utf8').digest();
  }

  /** `exp` is in Unix seconds. */
  sign(id: string, variant: UploadVariant, exp: number): string {
    return this.mac(id, variant, exp).toString('base64url');
  }

  verify(id: string, variant: UploadVariant, exp: number, sig: string, nowMs: number): boolean {
    if (!Number.isSafeInteger(exp) || exp * 1000 <= nowMs) return false;
    const given = Buffer.from(sig, 'base64url');
    const expected = this.mac(id, variant, exp);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
