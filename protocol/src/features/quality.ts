import { z } from 'zod';

/**
 * The quality ladder: each side steps what it sends down as its link degrades (HD → SD → low →
 * voice only) and back up as it recovers, and tells the other side, so both screens say the same
 * ("Weak connection: video paused, voice continues").
 */
export const QualityStep = {
  high: 'high',
  medium: 'medium',
  low: 'low',
  /** Voice only: no video is sent; stills still travel as uploads. */
  audio: 'audio',
} as const;
export type QualityStep = (typeof QualityStep)[keyof typeof QualityStep];
export const QualityStepSchema = z.enum([QualityStep.high, QualityStep.medium, QualityStep.low, QualityStep.audio]);

/** Either side → relay: the step this side sends at now. Sent after every welcome and on every change. */
export const LinkQualityFrameSchema = z.object({
  type: z.literal('link-quality'),
  step: QualityStepSchema,
});

/** Relay → the other side (and observers, for the customer's): which side sends at which step. */
export const RelayedLinkQualitySchema = z.object({
  type: z.literal('link-quality'),
  from: z.enum(['customer', 'specialist']),
  step: QualityStepSchema,
});
export type RelayedLinkQuality = z.infer<typeof RelayedLinkQualitySchema>;

export const qualityClientFrames = [LinkQualityFrameSchema] as const;
export const qualityRelayFrames = [RelayedLinkQualitySchema] as const;
