import type { UploadService } from '../uploads/service.js';
import type { ImageLookup } from './feature.js';

/** Stills and snapshots come from the uploads endpoint; only this session's uploads of that purpose count. */
export function uploadImages(uploads: UploadService): ImageLookup {
  return {
    async find(sessionId, uploadId, purpose) {
      const record = await uploads.repo.findById(uploadId);
      if (!record || record.sessionId !== sessionId || record.purpose !== purpose) return null;
      return { id: record.id, url: uploads.signedUrl(record, 'original'), width: record.width, height: record.height };
    },
  };
}
