import { z } from 'zod';

/**
 * The customer's camera, driven from the console: light, zoom, which camera, where to focus. The
 * phone is the authority: it reports what its camera can do and what it is doing now
 * (`camera-state`), the specialist asks for a change (`camera-request`), the phone applies it with
 * `applyConstraints` (or a new capture for the other camera), says so on its screen, and answers
 * (`camera-applied`) before reporting the new state. The customer can undo any change; the state
 * the phone reports afterwards is what the console shows. Both media modes use the same frames:
 * the change happens on the phone's own track, whichever engine carries it.
 */

export const CameraFacing = {
  environment: 'environment',
  user: 'user',
} as const;
export type CameraFacing = (typeof CameraFacing)[keyof typeof CameraFacing];
const CameraFacingSchema = z.enum([CameraFacing.environment, CameraFacing.user]);

/** The phone's zoom range as `getCapabilities().zoom` reports it (1 = no zoom on most phones). */
export const ZoomRangeSchema = z
  .object({
    min: z.number().finite().min(0).max(100),
    max: z.number().finite().min(0).max(100),
    step: z.number().finite().min(0).max(100),
  })
  .refine((r) => r.max > r.min, { message: 'zoom.max must be above zoom.min' });
export type ZoomRange = z.infer<typeof ZoomRangeSchema>;

/** What the camera in use can do; a control the phone lacks is not shown to the specialist. */
export const CameraCapabilitiesSchema = z.object({
  torch: z.boolean(),
  /** null: this camera has no zoom (or the browser does not expose it). */
  zoom: ZoomRangeSchema.nullable(),
  /** The camera takes a point of interest to focus on (`pointsOfInterest`). */
  focus: z.boolean(),
  /** The phone has a camera on its other side to switch to. */
  switchCamera: z.boolean(),
});
export type CameraCapabilities = z.infer<typeof CameraCapabilitiesSchema>;

/** What the camera is doing now, read back with `getSettings()`. */
export const CameraSettingsSchema = z.object({
  torch: z.boolean(),
  zoom: z.number().finite().min(0).max(100).nullable(),
  /** null: the browser does not say which way the camera faces (most laptops). */
  facing: CameraFacingSchema.nullable(),
});
export type CameraSettings = z.infer<typeof CameraSettingsSchema>;

/** A point on the picture, 0..1 from the top left of the frame the phone sends. */
const UnitSchema = z.number().finite().min(0).max(1);

/** One change the specialist asks for, keyed on `kind`. */
export const CameraChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('torch'), on: z.boolean() }),
  z.object({ kind: z.literal('zoom'), level: z.number().finite().min(0).max(100) }),
  z.object({ kind: z.literal('facing'), facing: CameraFacingSchema }),
  z.object({ kind: z.literal('focus'), x: UnitSchema, y: UnitSchema }),
]);
export type CameraChange = z.infer<typeof CameraChangeSchema>;
export type CameraChangeKind = CameraChange['kind'];

/** Why a request was not applied. */
export const CameraRefusal = {
  /** The camera in use cannot do it (it changed since the console last heard, say). */
  unsupported: 'unsupported',
  /** The browser refused the constraint or the new capture failed. */
  failed: 'failed',
  /** The phone's camera is off: nothing to apply it to. */
  cameraOff: 'camera-off',
} as const;
export type CameraRefusal = (typeof CameraRefusal)[keyof typeof CameraRefusal];

/**
 * Customer → relay → specialist (and observers): the camera now. Sent after every welcome, after
 * every change (whoever made it) and when the camera is turned on again or replaced.
 * `capabilities` is null while the camera is off.
 */
export const CameraStateFrameSchema = z.object({
  type: z.literal('camera-state'),
  capabilities: CameraCapabilitiesSchema.nullable(),
  settings: CameraSettingsSchema.nullable(),
});
export type CameraStateFrame = z.infer<typeof CameraStateFrameSchema>;

/** Specialist → relay → customer: please change the camera. `requestId` is the console's own counter. */
export const CameraRequestFrameSchema = z.object({
  type: z.literal('camera-request'),
  requestId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  change: CameraChangeSchema,
});
export type CameraRequestFrame = z.infer<typeof CameraRequestFrameSchema>;

/** Customer → relay → specialist: what came of one request. */
export const CameraAppliedFrameSchema = z.object({
  type: z.literal('camera-applied'),
  requestId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ok: z.boolean(),
  refusal: z.enum([CameraRefusal.unsupported, CameraRefusal.failed, CameraRefusal.cameraOff]).optional(),
});
export type CameraAppliedFrame = z.infer<typeof CameraAppliedFrameSchema>;

/**
 * Console → relay: send me the phone's last `camera-state` again. The console's camera controls are
 * made after its socket joined, so the state sent on join may have gone by before they listened.
 */
export const CameraSyncFrameSchema = z.object({ type: z.literal('camera-sync') });

/** The three camera frames travel on unchanged: the relay checks who sent them, not what they mean. */
export const cameraClientFrames = [
  CameraStateFrameSchema,
  CameraRequestFrameSchema,
  CameraAppliedFrameSchema,
  CameraSyncFrameSchema,
] as const;
export const cameraRelayFrames = [CameraStateFrameSchema, CameraRequestFrameSchema, CameraAppliedFrameSchema] as const;
