import { z } from 'zod';

/**
 * Journey frames: the customer's answer to the location step. Each feature owns its
 * frames and lists them here; messages.ts folds these lists into the two direction unions.
 */

export const LocationOutcome = {
  shared: 'shared',
  /** The customer pressed "Don't share". */
  declined: 'declined',
  /** The browser (or the customer at its prompt) refused. */
  denied: 'denied',
  /** No fix within the time limit. */
  timeout: 'timeout',
  /** No geolocation in this browser, or no position could be found. */
  unavailable: 'unavailable',
} as const;
export type LocationOutcome = (typeof LocationOutcome)[keyof typeof LocationOutcome];

const NotSharedOutcomeSchema = z.enum([
  LocationOutcome.declined,
  LocationOutcome.denied,
  LocationOutcome.timeout,
  LocationOutcome.unavailable,
]);

const Coordinates = {
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** Metres (95 % radius as the browser reports it). */
  accuracy: z.number().min(0).max(10_000_000),
};

/**
 * The last instant a JavaScript Date can hold (ms since epoch). A later time is still a safe
 * integer, but it can be neither shown to the specialist nor written into the ticket's note.
 */
export const MAX_DATE_MS = 8_640_000_000_000_000;

/** Customer → relay: what came of the location step. */
export const LocationReportSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal(LocationOutcome.shared),
    ...Coordinates,
    /** When the browser took the fix (ms since epoch, `GeolocationPosition.timestamp`). */
    capturedAt: z.number().int().min(0).max(MAX_DATE_MS),
  }),
  z.object({ outcome: NotSharedOutcomeSchema }),
]);
export type LocationReport = z.infer<typeof LocationReportSchema>;

export const LocationFrameSchema = z.object({
  type: z.literal('location'),
  location: LocationReportSchema,
});

/** What the relay stored, as the specialist sees it. */
export const CustomerLocationSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal(LocationOutcome.shared),
    ...Coordinates,
    capturedAt: z.string(),
    recordedAt: z.string(),
  }),
  z.object({ outcome: NotSharedOutcomeSchema, recordedAt: z.string() }),
]);
export type CustomerLocation = z.infer<typeof CustomerLocationSchema>;

/** Relay → specialist: on join (late join, reload) and whenever the customer answers. */
export const CustomerLocationFrameSchema = z.object({
  type: z.literal('customer-location'),
  /** null: the customer has not answered the location step yet. */
  location: CustomerLocationSchema.nullable(),
});

export const journeyClientFrames = [LocationFrameSchema] as const;
export const journeyRelayFrames = [CustomerLocationFrameSchema] as const;
