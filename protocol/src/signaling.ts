import { z } from 'zod';

export const SdpSchema = z
  .string()
  .min(1)
  .max(32 * 1024);

export const IceCandidateSchema = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

/** P2P WebRTC signaling; the relay forwards it verbatim to the other party of the session. */
export const SignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offer'), sdp: SdpSchema, iceRestart: z.boolean().optional() }),
  z.object({ kind: z.literal('answer'), sdp: SdpSchema }),
  z.object({ kind: z.literal('ice'), candidate: IceCandidateSchema }),
]);
export type Signal = z.infer<typeof SignalSchema>;

export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;
