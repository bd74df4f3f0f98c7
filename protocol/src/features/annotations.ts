import { z } from 'zod';
import { RoleSchema } from '../common.js';
import { UploadIdSchema } from '../uploads.js';

/**
 * Annotations, freeze and snapshots.
 *
 * Every coordinate is a fraction (0..1) of the customer's camera frame as captured: intrinsic
 * size, never mirrored or letterboxed. Each viewer maps fractions into its own content box.
 * Marks are built incrementally (start → extend* → finish) so the customer sees a stroke grow and
 * no single frame has to carry a whole long stroke.
 */

export const AnnotationTool = {
  pointer: 'pointer',
  rectangle: 'rectangle',
  arrow: 'arrow',
  freehand: 'freehand',
} as const;
export type AnnotationTool = (typeof AnnotationTool)[keyof typeof AnnotationTool];

/** Tools that leave a persistent mark (the pointer is ephemeral and travels separately). */
export const MarkToolSchema = z.enum([AnnotationTool.rectangle, AnnotationTool.arrow, AnnotationTool.freehand]);
export type MarkTool = z.infer<typeof MarkToolSchema>;

/** Most points one mark may hold (a long freehand stroke). */
export const MAX_MARK_POINTS = 5000;
/** Most points one `annotation-extend` frame may add. */
export const MAX_EXTEND_POINTS = 1000;
/** Most marks a session keeps at once. */
export const MAX_MARKS = 500;

/** Colors a mark may have: high-contrast on both bright and dark scenes. */
export const MARK_COLORS = ['#ff1f1f', '#ffd400', '#00e05a', '#00b7ff', '#ff3df2', '#ffffff'] as const;
export const MarkColorSchema = z.enum(MARK_COLORS);
export type MarkColor = z.infer<typeof MarkColorSchema>;

/** Stroke widths in pixels of a 1000-pixel-wide frame, so a mark covers the same scene everywhere. */
export const MARK_WIDTHS = [3, 6, 10] as const;
export const MarkWidthSchema = z.union([z.literal(3), z.literal(6), z.literal(10)]);
export type MarkWidth = z.infer<typeof MarkWidthSchema>;

/** NaN and ±Infinity fail these bounds, so only finite fractions get through. */
export const FractionSchema = z.number().min(0).max(1);
export const PointSchema = z.tuple([FractionSchema, FractionSchema]);
export type Point = z.infer<typeof PointSchema>;

export const MarkIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const FreezeIdSchema = MarkIdSchema;

export const MarkSchema = z.object({
  id: MarkIdSchema,
  author: RoleSchema,
  tool: MarkToolSchema,
  color: MarkColorSchema,
  width: MarkWidthSchema,
  /** Rectangle/arrow: [start, end]; freehand: the raw input points, in order. */
  points: z.array(PointSchema).min(1).max(MAX_MARK_POINTS),
  /** The freeze still this mark was drawn on; null for the live video. */
  stillId: FreezeIdSchema.nullable(),
  done: z.boolean(),
  /**
   * Drawn on the live video and followed by the console's tracker: `mark-anchor` updates
   * (`anchors.ts`) move it with the object. Absent on still marks and from older consoles.
   */
  anchored: z.literal(true).optional(),
  /** Bumped on every change, so a viewer can skip re-rendering unchanged marks. */
  version: z.number().int().nonnegative(),
});
export type Mark = z.infer<typeof MarkSchema>;

/** An image stored through the uploads endpoint (docs/contract.md "Uploads"). */
export const StoredImageSchema = z.object({
  id: UploadIdSchema,
  url: z.string().max(2000),
  width: z.number().int().positive().max(20_000),
  height: z.number().int().positive().max(20_000),
});
export type StoredImage = z.infer<typeof StoredImageSchema>;

export const FreezeStatus = {
  /** The customer's page is taking and uploading the still. */
  capturing: 'capturing',
  ready: 'ready',
  failed: 'failed',
} as const;
export type FreezeStatus = (typeof FreezeStatus)[keyof typeof FreezeStatus];

export const FreezeStateSchema = z.object({
  id: FreezeIdSchema,
  status: z.enum([FreezeStatus.capturing, FreezeStatus.ready, FreezeStatus.failed]),
  /** Upload progress 0..1 while capturing. */
  progress: FractionSchema,
  still: StoredImageSchema.nullable(),
});
export type FreezeState = z.infer<typeof FreezeStateSchema>;

export const SnapshotSchema = StoredImageSchema.extend({ createdAt: z.number().int() });
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const AnnotationStateSchema = z.object({
  marks: z.array(MarkSchema).max(MAX_MARKS),
  freeze: FreezeStateSchema.nullable(),
  snapshots: z.array(SnapshotSchema).max(200),
});
export type AnnotationState = z.infer<typeof AnnotationStateSchema>;

const Style = { color: MarkColorSchema, width: MarkWidthSchema };

// ---------- client → relay ----------

/** Specialist starts a mark with its first point(s). */
export const AnnotationStartSchema = z.object({
  type: z.literal('annotation-start'),
  id: MarkIdSchema,
  tool: MarkToolSchema,
  ...Style,
  points: z.array(PointSchema).min(1).max(MAX_EXTEND_POINTS),
  /** The console will track it (live video only; ignored while frozen). */
  anchored: z.literal(true).optional(),
});

/** Freehand: appends points. Rectangle/arrow: `points[0]` becomes the new end point. */
export const AnnotationExtendSchema = z.object({
  type: z.literal('annotation-extend'),
  id: MarkIdSchema,
  points: z.array(PointSchema).min(1).max(MAX_MARK_POINTS),
});

export const AnnotationFinishSchema = z.object({ type: z.literal('annotation-finish'), id: MarkIdSchema });

/** Removes the sender's newest mark (of what is in view: the still while frozen). */
export const AnnotationUndoSchema = z.object({ type: z.literal('annotation-undo') });
/** Removes every mark in view. */
export const AnnotationClearSchema = z.object({ type: z.literal('annotation-clear') });

/**
 * A pointer's place in its sender's stream: each page counts up from its clock in ms at load, so a
 * reloaded page continues above the one it replaces. Compared with wrap-around (`pointerSeqNewer`).
 */
export const PointerSeqSchema = z.number().int().min(0).max(0xffff_ffff);

/**
 * Either side's pointer; null hides it. Never stored. `peer`: the position already went to the
 * other page straight over the call's data channel (`peer-pointer.ts`), so the relay hands it only
 * to observers.
 */
export const PointerSchema = z.object({
  type: z.literal('pointer'),
  point: PointSchema.nullable(),
  seq: PointerSeqSchema.optional(),
  peer: z.literal(true).optional(),
});

export const FreezeSchema = z.object({ type: z.literal('freeze') });
export const UnfreezeSchema = z.object({ type: z.literal('unfreeze') });

/** Specialist asks the customer's page for a full-resolution still without freezing (snapshot). */
export const StillRequestSchema = z.object({ type: z.literal('still-request'), requestId: MarkIdSchema });

/** Customer: how far the upload of a requested still (freeze id or request id) has got. */
export const StillProgressSchema = z.object({
  type: z.literal('still-progress'),
  requestId: MarkIdSchema,
  progress: FractionSchema,
});

/** Customer: the still is stored (uploaded with purpose `still`); the relay looks the upload up. */
export const StillReadySchema = z.object({
  type: z.literal('still-ready'),
  requestId: MarkIdSchema,
  uploadId: UploadIdSchema,
});

export const StillFailedSchema = z.object({
  type: z.literal('still-failed'),
  requestId: MarkIdSchema,
  reason: z.string().max(200),
});

/**
 * Either side asks for `annotation-state` again. The relay sends it on every join, but a page may
 * start listening later (the customer's call screen mounts after the consent steps of a reload).
 */
export const AnnotationSyncSchema = z.object({ type: z.literal('annotation-sync') });

/** Specialist: a composited snapshot was uploaded with purpose `snapshot`; keep it with the session. */
export const SnapshotTakenSchema = z.object({ type: z.literal('snapshot-taken'), uploadId: UploadIdSchema });

export const annotationsClientFrames = [
  AnnotationStartSchema,
  AnnotationExtendSchema,
  AnnotationFinishSchema,
  AnnotationUndoSchema,
  AnnotationClearSchema,
  PointerSchema,
  FreezeSchema,
  UnfreezeSchema,
  StillRequestSchema,
  StillProgressSchema,
  StillReadySchema,
  StillFailedSchema,
  SnapshotTakenSchema,
  AnnotationSyncSchema,
] as const;

// ---------- relay → client ----------

/** Full current state: sent on every join (first, reload, reconnect) and in answer to `annotation-sync`. */
export const AnnotationStateFrameSchema = z.object({ type: z.literal('annotation-state'), state: AnnotationStateSchema });

/** A mark was started or changed; carries the whole mark for starts, only new points for extends. */
export const MarkStartedSchema = z.object({ type: z.literal('annotation-start'), mark: MarkSchema });
export const MarkExtendedSchema = z.object({
  type: z.literal('annotation-extend'),
  id: MarkIdSchema,
  points: z.array(PointSchema).min(1).max(MAX_MARK_POINTS),
  version: z.number().int().nonnegative(),
});
export const MarkFinishedSchema = z.object({ type: z.literal('annotation-finish'), id: MarkIdSchema });
export const MarksRemovedSchema = z.object({ type: z.literal('annotation-remove'), ids: z.array(MarkIdSchema) });
export const RelayedPointerSchema = z.object({
  type: z.literal('pointer'),
  from: RoleSchema,
  point: PointSchema.nullable(),
  seq: PointerSeqSchema.optional(),
});
export const FreezeStateFrameSchema = z.object({ type: z.literal('freeze-state'), freeze: FreezeStateSchema.nullable() });
export const RelayedStillRequestSchema = StillRequestSchema;
export const RelayedStillProgressSchema = StillProgressSchema;
export const RelayedStillReadySchema = z.object({
  type: z.literal('still-ready'),
  requestId: MarkIdSchema,
  still: StoredImageSchema,
});
export const RelayedStillFailedSchema = StillFailedSchema;
export const SnapshotsFrameSchema = z.object({ type: z.literal('snapshots'), snapshots: z.array(SnapshotSchema) });

export const annotationsRelayFrames = [
  AnnotationStateFrameSchema,
  MarkStartedSchema,
  MarkExtendedSchema,
  MarkFinishedSchema,
  MarksRemovedSchema,
  RelayedPointerSchema,
  FreezeStateFrameSchema,
  RelayedStillRequestSchema,
  RelayedStillProgressSchema,
  RelayedStillReadySchema,
  RelayedStillFailedSchema,
  SnapshotsFrameSchema,
] as const;
