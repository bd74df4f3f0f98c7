import { z } from 'zod';

// What the console and the anchoring worker say to each other; each side parses what it receives.

const region = z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() });
const time = z.number().finite();
const id = z.string().min(1).max(200);

export const workerRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    width: z.number().int().min(64).max(1280),
    // Tuning for the tracker (TrackerOptions); names it does not know are left out.
    options: z.record(z.string(), z.number().finite()).optional(),
  }),
  z.object({ type: z.literal('anchor'), id, bitmap: z.unknown(), region, frameTime: time }),
  z.object({ type: z.literal('pin'), id, bitmap: z.unknown(), region, frameTime: time }),
  z.object({ type: z.literal('track'), seq: z.number().int(), bitmap: z.unknown(), frameTime: time }),
  z.object({ type: z.literal('drop'), id }),
]);
export type WorkerRequest = z.infer<typeof workerRequest>;

const update = z.object({
  id: z.string(),
  frameTime: z.number(),
  transform: z.object({ a: z.number(), b: z.number(), tx: z.number(), ty: z.number() }),
  confidence: z.number().min(0).max(1),
  lost: z.boolean(),
});

export const workerReply = z.union([
  z.object({ seq: z.number().int(), updates: z.array(update) }),
  z.object({ seq: z.number().int(), error: z.string() }),
]);
