import { z } from 'zod';
import { CustomerStage, Role } from '@live-assist/protocol';

/**
 * What relays say to each other over Redis, each on the channel of the relay it is for. Parsed like
 * any outside input: a relay of another version, or a stray publisher, must not crash this one.
 */
const Text = z.string().max(1_000_000);
const Id = z.string().min(1).max(200);

const RoomInfoSchema = z.object({ sessionId: Id, specialistName: z.string().max(1_000) });
const ObserverSchema = z.object({ id: Id, agentId: Id, displayName: z.string().max(1_000) });
const EndReasonSchema = z.enum(['ended-by-specialist', 'ended-by-customer', 'expired']);

/** A hub operation the owner of a session runs for another relay. */
export const HubCallSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('presence'), sessionId: Id }),
  z.object({ op: z.literal('link-opened'), info: RoomInfoSchema }),
  z.object({ op: z.literal('stage'), info: RoomInfoSchema, stage: z.enum(CustomerStage) }),
  z.object({ op: z.literal('end'), sessionId: Id, reason: EndReasonSchema }),
  z.object({ op: z.literal('take-over'), sessionId: Id, specialistName: z.string().max(1_000) }),
]);
export type HubCall = z.infer<typeof HubCallSchema>;

const PresenceSchema = z.object({ connected: z.boolean(), participantKey: z.string().nullable(), stage: z.enum(CustomerStage) });

export const BusMessageSchema = z.discriminatedUnion('t', [
  // Proxy → owner: a socket on the proxy's relay joins the owner's room, then its traffic.
  z.object({
    t: z.literal('attach'),
    conn: Id,
    from: Id,
    info: RoomInfoSchema,
    role: z.enum(Role),
    participantKey: Id,
    observer: ObserverSchema.nullable(),
  }),
  z.object({ t: z.literal('frame'), conn: Id, text: Text }),
  z.object({ t: z.literal('binary'), conn: Id }),
  z.object({ t: z.literal('gone'), conn: Id }),
  // Owner → proxy: the attach was taken (or refused with a close), frames out, the close.
  z.object({ t: z.literal('attached'), conn: Id }),
  // The owner no longer holds the session: the proxy looks again.
  z.object({ t: z.literal('refused'), conn: Id }),
  z.object({ t: z.literal('settled'), conn: Id }),
  // `droppable`: a frame a newer one replaces, which the proxy's socket may skip when it is behind
  // (absent from a relay of an older version: then every frame is kept).
  z.object({ t: z.literal('send'), conn: Id, text: Text, droppable: z.boolean().optional() }),
  z.object({ t: z.literal('close'), conn: Id, code: z.number().int(), reason: z.string().max(123) }),
  // Any relay → owner and back: a hub operation on a session this relay does not hold.
  z.object({ t: z.literal('call'), id: Id, from: Id, call: HubCallSchema }),
  z.object({ t: z.literal('reply'), id: Id, ok: z.boolean(), presence: PresenceSchema.optional() }),
]);
export type BusMessage = z.infer<typeof BusMessageSchema>;
