import { z } from 'zod';

/**
 * `POST /api/sessions/:sessionId/uploads?purpose=…` (docs/contract.md "Uploads").
 * The body is the raw image; the relay decides the type from its bytes.
 */

export const UploadPurpose = { photo: 'photo', still: 'still', snapshot: 'snapshot', nameplate: 'nameplate' } as const;
export type UploadPurpose = (typeof UploadPurpose)[keyof typeof UploadPurpose];
export const UploadPurposeSchema = z.enum([UploadPurpose.photo, UploadPurpose.still, UploadPurpose.snapshot, UploadPurpose.nameplate]);

/** 15 MB: a full-resolution phone photo fits, a video does not. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/** Longest side of the chat preview. */
export const UPLOAD_PREVIEW_MAX_PX = 640;

export const UploadIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** Types as stored; HEIC/HEIF arrive but are stored as JPEG so every browser can show them. */
export const StoredImageTypeSchema = z.enum(['image/jpeg', 'image/png', 'image/webp']);
export type StoredImageType = z.infer<typeof StoredImageTypeSchema>;

export const UploadViewSchema = z.object({
  id: UploadIdSchema,
  purpose: UploadPurposeSchema,
  contentType: StoredImageTypeSchema,
  bytes: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Relay URLs with a short-lived signature (`?exp=…&sig=…`), loadable by `<img>`. */
  url: z.string(),
  previewUrl: z.string(),
  createdAt: z.string(),
});
export type UploadView = z.infer<typeof UploadViewSchema>;

export const UploadResponseSchema = z.object({ upload: UploadViewSchema });
export type UploadResponse = z.infer<typeof UploadResponseSchema>;

/** `POST /api/sessions/:sessionId/uploads/:id/download`: a one-minute link that saves the original. */
export const UploadDownloadResponseSchema = z.object({ url: z.string().url() });
export type UploadDownloadResponse = z.infer<typeof UploadDownloadResponseSchema>;
