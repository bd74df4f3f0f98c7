import { Router } from 'express';
import {
  MAX_UPLOAD_BYTES,
  UploadIdSchema,
  UploadPurposeSchema,
  type UploadDownloadResponse,
  type UploadResponse,
} from '@live-assist/protocol';
import { sendApiError } from '../http/api-errors.js';
import type { SessionService } from '../sessions/service.js';
import { readLimitedBody } from './body.js';
import { UnsupportedImageError } from './process.js';
import type { UploadService } from './service.js';
import type { UploadRecord } from './store.js';

function bearer(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? '';
}

const MB = Math.round(MAX_UPLOAD_BYTES / (1024 * 1024));

/** A download link is used at once: it lives a minute, not the hours a chat photo's link does. */
const DOWNLOAD_LINK_SECONDS = 60;

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** A plain ASCII name: the purpose, the time it was taken, and the type's extension. */
function downloadName(record: UploadRecord): string {
  const at = new Date(record.createdAt).toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `${record.purpose}-${at}.${EXTENSIONS[record.contentType] ?? 'bin'}`;
}

/** `POST /api/sessions/:sessionId/uploads` and the signed `GET /api/uploads/:id/:variant` (docs/contract.md). */
export function uploadRoutes(deps: {
  sessions: SessionService;
  uploads: UploadService;
  /** Written before a download link is handed out (the audit log); a failure refuses the download. */
  onDownload?: (sessionId: string, upload: UploadRecord) => Promise<void>;
}): Router {
  const router = Router();

  router.post('/api/sessions/:sessionId/uploads', async (req, res) => {
    const auth = await deps.sessions.authenticateParticipant(bearer(req.headers.authorization));
    if (!auth) {
      sendApiError(res, 401, 'unauthorized', 'A valid participant token is required.');
      return;
    }
    if (auth.session.id !== req.params.sessionId) {
      sendApiError(res, 403, 'forbidden', 'This token belongs to another session.');
      return;
    }
    const purpose = UploadPurposeSchema.safeParse(req.query.purpose ?? 'photo');
    if (!purpose.success) {
      sendApiError(res, 400, 'bad-request', 'purpose must be photo, still, snapshot or nameplate.');
      return;
    }
    const quota = await deps.uploads.quotaCheck(auth.session.id);
    const overQuota = (incoming: number): boolean => {
      const refusal = quota(incoming);
      if (refusal === null) return false;
      // Refused before the body is read (when it can be): the connection goes rather than drain it.
      res.set('Connection', 'close');
      sendApiError(res, 429, 'upload-quota', refusal);
      return true;
    };
    if (overQuota(0)) return;
    const body = await readLimitedBody(req, MAX_UPLOAD_BYTES);
    if (!body.ok) {
      if (body.reason === 'too-large') {
        res.set('Connection', 'close');
        sendApiError(res, 413, 'too-large', `Photos can be at most ${MB} MB.`);
      }
      return;
    }
    if (body.bytes.length === 0) {
      sendApiError(res, 400, 'empty', 'The upload is empty.');
      return;
    }
    if (overQuota(body.bytes.length)) return;
    try {
      const record = await deps.uploads.store(auth.session.id, purpose.data, auth.role, body.bytes);
      const answer: UploadResponse = { upload: deps.uploads.view(record) };
      res.status(201).json(answer);
    } catch (err) {
      if (err instanceof UnsupportedImageError) {
        sendApiError(res, 415, 'unsupported-type', err.message);
        return;
      }
      throw err;
    }
  });

  /**
   * The specialist saves a photo, still or snapshot of the session: the download is recorded, then
   * a short-lived link answers with the original as an attachment (docs/contract.md).
   */
  router.post('/api/sessions/:sessionId/uploads/:id/download', async (req, res) => {
    const auth = await deps.sessions.authenticateParticipant(bearer(req.headers.authorization));
    if (!auth) {
      sendApiError(res, 401, 'unauthorized', 'A valid participant token is required.');
      return;
    }
    if (auth.session.id !== req.params.sessionId || auth.role !== 'specialist') {
      sendApiError(res, 403, 'forbidden', 'Only the session’s specialist can download its photos.');
      return;
    }
    const id = UploadIdSchema.safeParse(req.params.id);
    const record = id.success ? await deps.uploads.repo.findById(id.data) : null;
    if (!record || record.sessionId !== auth.session.id) {
      sendApiError(res, 404, 'not-found', 'No such photo in this session.');
      return;
    }
    await deps.onDownload?.(auth.session.id, record);
    const answer: UploadDownloadResponse = { url: `${deps.uploads.signedUrl(record, 'original', DOWNLOAD_LINK_SECONDS)}&download=1` };
    res.status(200).json(answer);
  });

  router.get('/api/uploads/:id/:variant', async (req, res) => {
    const id = UploadIdSchema.safeParse(req.params.id);
    const variant = req.params.variant;
    const exp = Number(req.query.exp);
    const sig = typeof req.query.sig === 'string' ? req.query.sig : '';
    if (!id.success || (variant !== 'original' && variant !== 'preview') || !deps.uploads.verify(id.data, variant, exp, sig)) {
      sendApiError(res, 403, 'bad-signature', 'This link has expired or is not valid.');
      return;
    }
    const record = await deps.uploads.repo.findById(id.data);
    // No file: erased between reading the row and the bytes; the same answer as no row.
    const bytes = record ? await deps.uploads.read(record, variant) : null;
    if (!record || !bytes) {
      sendApiError(res, 404, 'not-found', 'No such upload.');
      return;
    }
    const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
    res
      .status(200)
      .set({
        'Content-Type': variant === 'preview' ? 'image/jpeg' : record.contentType,
        'Cache-Control': `private, max-age=${maxAge}`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
        'Cross-Origin-Resource-Policy': 'cross-origin',
        // The link from the download route: the browser saves the file instead of showing it.
        ...(req.query.download === '1' && variant === 'original'
          ? { 'Content-Disposition': `attachment; filename="${downloadName(record)}"` }
          : {}),
      })
      .send(bytes);
  });

  return router;
}
