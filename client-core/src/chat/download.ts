import { UploadDownloadResponseSchema } from '@live-assist/protocol';
import type { PhotoUploaderOptions } from './upload.js';

/**
 * A one-minute link that saves a session photo's original. The relay writes the download to the
 * audit log before answering, so the link is asked for at the moment the agent clicks.
 */
export async function photoDownloadLink(o: PhotoUploaderOptions, uploadId: string): Promise<string> {
  const doFetch = o.fetch ?? ((input, init) => fetch(input, init));
  const response = await doFetch(
    `${o.baseUrl}/api/sessions/${encodeURIComponent(o.sessionId)}/uploads/${encodeURIComponent(uploadId)}/download`,
    { method: 'POST', headers: { Authorization: `Bearer ${o.participantToken}` } },
  );
  if (!response.ok) throw new Error(`The photo could not be downloaded (${response.status}).`);
  const parsed = UploadDownloadResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error('The relay answered the download in an unexpected way.');
  return parsed.data.url;
}
