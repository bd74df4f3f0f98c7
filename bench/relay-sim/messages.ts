import { z } from 'zod';
import { HistogramJsonSchema } from './histogram.js';

/** What the load generator's parent and its worker processes say to each other over IPC. */

export const SimMode = {
  /** The relay: hello → welcome, then product frames. */
  relay: 'relay',
  /** The bare forwarding server (bench/bare-server.ts): no hello, the same frames forwarded as they are. */
  bare: 'bare',
} as const;
export type SimMode = (typeof SimMode)[keyof typeof SimMode];

export const SessionEndpointsSchema = z.object({
  /** WebSocket URLs, token included. */
  specialistUrl: z.string(),
  customerUrl: z.string(),
});
export type SessionEndpoints = z.infer<typeof SessionEndpointsSchema>;

export const TrafficSchema = z.object({
  /** Specialist's pointer frames a second, per session. */
  pointerHz: z.number().positive(),
  /** Seconds between two chat lines of one side. */
  chatEveryS: z.number().positive(),
  /** Seconds between two heartbeat pings of one socket (client-core sends one every 15 s). */
  pingEveryS: z.number().positive(),
});
export type Traffic = z.infer<typeof TrafficSchema>;

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    mode: z.enum([SimMode.relay, SimMode.bare]),
    sessions: z.array(SessionEndpointsSchema),
    /** Sessions connecting at once. */
    concurrency: z.number().int().positive(),
  }),
  z.object({ type: z.literal('start'), traffic: TrafficSchema }),
  /** Answer with what happened since the last collect, and start counting anew. */
  z.object({ type: z.literal('collect') }),
  z.object({ type: z.literal('stop') }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const WindowStatsSchema = z.object({
  /** Specialist's pointer frame sent → received by the customer's socket, ms. */
  pointer: HistogramJsonSchema,
  /** A chat line sent → the other side's socket received the stored message, ms. */
  chat: HistogramJsonSchema,
  pointersSent: z.number().int().nonnegative(),
  pointersReceived: z.number().int().nonnegative(),
  chatsSent: z.number().int().nonnegative(),
  chatsReceived: z.number().int().nonnegative(),
  /** Every frame any socket sent or received (pointer, chat, ping/pong, the relay's own). */
  framesSent: z.number().int().nonnegative(),
  framesReceived: z.number().int().nonnegative(),
  /** `error` frames by code (rate-limited would mean the bench is not honest traffic). */
  errors: z.record(z.string(), z.number().int().nonnegative()),
  chatRejected: z.number().int().nonnegative(),
  /** Sockets the server closed, by close code. */
  closed: z.record(z.string(), z.number().int().nonnegative()),
});
export type WindowStats = z.infer<typeof WindowStatsSchema>;

export const FromWorkerSchema = z.discriminatedUnion('type', [
  /** Loaded and listening: sent once, before anything is asked. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('connected'), sessions: z.number().int().nonnegative() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('started') }),
  z.object({ type: z.literal('stats'), stats: WindowStatsSchema }),
  z.object({ type: z.literal('stopped') }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
