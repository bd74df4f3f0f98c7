import { MAX_UPLOAD_BYTES, UploadResponseSchema, type UploadView } from '@live-assist/protocol';
import { ChatFailure } from './entry.js';

export type UploadFailureReason = 'too-large' | 'unsupported' | 'quota' | 'network' | 'server';

export class UploadFailure extends Error {
  override name = 'UploadFailure';
  constructor(
    readonly reason: UploadFailureReason,
    message: string,
  ) {
    super(message);
  }
}

const FAILURE_OF: Record<UploadFailureReason, ChatFailure> = {
  'too-large': ChatFailure.tooLarge,
  unsupported: ChatFailure.unsupported,
  quota: ChatFailure.quota,
  network: ChatFailure.upload,
  server: ChatFailure.upload,
};

/** What the chat tells the sender about a photo that could not be uploaded. */
export function chatFailureOf(error: unknown): ChatFailure {
  return error instanceof UploadFailure ? FAILURE_OF[error.reason] : ChatFailure.upload;
}

export interface PhotoUploader {
  upload(photo: Blob): Promise<UploadView>;
}

export interface PhotoUploaderOptions {
  /** Relay origin, no trailing slash ('' for the page's own origin). */
  baseUrl: string;
  sessionId: string;
  participantToken: string;
  fetch?: typeof fetch;
}

/** Chat photos go to the relay's upload endpoint (docs/contract.md "Uploads") before the message. */
export function createPhotoUploader(o: PhotoUploaderOptions): PhotoUploader {
  const doFetch = o.fetch ?? ((input, init) => fetch(input, init));
  return {
    async upload(photo) {
      // Saves a phone from pushing 20 MB over mobile data only to be told no.
      if (photo.size > MAX_UPLOAD_BYTES) throw new UploadFailure('too-large', 'The photo is larger than 15 MB.');
      let response: Response;
      try {
        response = await doFetch(`${o.baseUrl}/api/sessions/${encodeURIComponent(o.sessionId)}/uploads?purpose=photo`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${o.participantToken}`, 'Content-Type': photo.type || 'application/octet-stream' },
          body: photo,
        });
      } catch {
        throw new UploadFailure('network', 'The photo could not be sent.');
      }
      if (response.status === 413) throw new UploadFailure('too-large', 'The photo is larger than 15 MB.');
      if (response.status === 415) throw new UploadFailure('unsupported', 'Only JPEG, PNG, WebP or HEIC photos can be sent.');
      if (response.status === 429) throw new UploadFailure('quota', 'This call already holds as many photos as it can keep.');
      if (!response.ok) throw new UploadFailure('server', `Upload failed (${response.status}).`);
      const parsed = UploadResponseSchema.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new UploadFailure('server', 'The relay answered the upload in an unexpected way.');
      return parsed.data.upload;
    },
  };
}
