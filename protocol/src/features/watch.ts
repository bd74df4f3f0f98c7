import { z } from 'zod';
import { SignalSchema } from '../signaling.js';

/**
 * An observer's picture in P2P mode. The customer's phone keeps its one peer connection, to the
 * specialist: a second upload from a phone on one bar of signal would cost the call itself. The
 * specialist's console forwards the customer's tracks to each observer over a peer connection of
 * its own (docs/contract.md "Observers"). In Twilio mode the observer subscribes in the room and
 * none of these frames are used.
 */

/**
 * Observer → relay → specialist: "send me the picture" (on every welcome of the observer). With
 * `offerId` the observer's page still has the connection of that offer up (its socket only came
 * back): the specialist keeps it if it is its own and still connected, instead of offering anew.
 */
export const WatchRequestFrameSchema = z.object({
  type: z.literal('watch-request'),
  offerId: z.number().int().nonnegative().optional(),
});

/**
 * Negotiation between the specialist and one observer. From the specialist `observerId` names the
 * observer; from an observer the relay fills it in with the sender's id (the client's is ignored).
 * `offerId` numbers the specialist's offers to that observer, so answers and candidates for an
 * offer that was replaced are dropped.
 */
export const WatchSignalFrameSchema = z.object({
  type: z.literal('watch-signal'),
  observerId: z.string().max(64).optional(),
  offerId: z.number().int().nonnegative(),
  signal: SignalSchema,
});

/** Relay → specialist: an observer asked for the picture. */
export const RelayedWatchRequestSchema = z.object({
  type: z.literal('watch-request'),
  observerId: z.string().max(64),
  offerId: z.number().int().nonnegative().optional(),
});

/** Relay → specialist or observer: the other side's negotiation step. */
export const RelayedWatchSignalSchema = z.object({
  type: z.literal('watch-signal'),
  observerId: z.string().max(64),
  offerId: z.number().int().nonnegative(),
  signal: SignalSchema,
});
export type RelayedWatchSignal = z.infer<typeof RelayedWatchSignalSchema>;

export const watchClientFrames = [WatchRequestFrameSchema, WatchSignalFrameSchema] as const;
export const watchRelayFrames = [RelayedWatchRequestSchema, RelayedWatchSignalSchema] as const;
