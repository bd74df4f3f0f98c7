import { z } from 'zod';
import { UploadIdSchema } from '../uploads.js';

/**
 * Reading a pump's type plate. The console reads the plate on a frozen still (local OCR), the
 * specialist corrects the values and confirms them; the console uploads the crop (purpose
 * `nameplate`) and sends `nameplate-confirm`. The relay stores the plate with the session: it
 * goes into the call note with its crop, and into the ticket fields the admin mapped.
 */

export const NameplateField = { model: 'model', serial: 'serial', date: 'date' } as const;
export type NameplateField = (typeof NameplateField)[keyof typeof NameplateField];

/** Longest value of one field: a model name or serial number, never a paragraph. */
export const MAX_NAMEPLATE_VALUE = 120;
/** Most plates one call keeps (a call may read a pump and its motor, or a few units). */
export const MAX_NAMEPLATES = 20;

/** Line breaks, tabs, NUL and other C0/C1 controls: a plate's value is one line of text. */
const CONTROL = /\p{Cc}/u;

const NameplateValueSchema = z
  .string()
  .trim()
  .max(MAX_NAMEPLATE_VALUE)
  .refine((v) => !CONTROL.test(v), { message: 'a nameplate value is one line without control characters' })
  .optional();

export const NameplateValuesSchema = z
  .object({
    [NameplateField.model]: NameplateValueSchema,
    [NameplateField.serial]: NameplateValueSchema,
    [NameplateField.date]: NameplateValueSchema,
  })
  .refine((v) => Object.values(v).some((s) => s !== undefined && s.length > 0), {
    message: 'a nameplate needs at least one value',
  });
export type NameplateValues = z.infer<typeof NameplateValuesSchema>;

// ---------- client → relay ----------

/**
 * Seat specialist only: the confirmed values of the plate whose crop is upload `uploadId` (purpose
 * `nameplate`, this session). Confirming the same upload again replaces its values.
 */
export const NameplateConfirmSchema = z.object({
  type: z.literal('nameplate-confirm'),
  uploadId: UploadIdSchema,
  values: NameplateValuesSchema,
});
export type NameplateConfirm = z.infer<typeof NameplateConfirmSchema>;

export const nameplateClientFrames = [NameplateConfirmSchema] as const;

// ---------- relay → client ----------

/** To the specialist and observers once the plate is stored (it will be in the note). */
export const NameplateSavedSchema = z.object({
  type: z.literal('nameplate-saved'),
  uploadId: UploadIdSchema,
  values: NameplateValuesSchema,
});
export type NameplateSaved = z.infer<typeof NameplateSavedSchema>;

export const nameplateRelayFrames = [NameplateSavedSchema] as const;
