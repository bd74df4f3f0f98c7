import { z } from 'zod';

// What zendesk_app_framework_sdk 2.0.x posts to its host, as JSON strings (lib/client.js).
const Addressed = z.object({ appGuid: z.string().min(1), instanceGuid: z.string().min(1).optional() });

export const RpcMessage = Addressed.extend({
  id: z.number().int(),
  request: z.enum(['get', 'set', 'invoke']),
  params: z.unknown(),
});
export type RpcMessage = z.infer<typeof RpcMessage>;

export const KeyedMessage = Addressed.extend({ key: z.string().min(1), message: z.unknown().optional() });
export type KeyedMessage = z.infer<typeof KeyedMessage>;

export const GetParams = z.array(z.string()).max(100);
export const InvokeParams = z.record(z.string(), z.array(z.unknown()));

export const Subscription = z.object({ subscriberCount: z.number().int().min(0) });

const Length = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?(px|%|vh|vw|em|rem)?$/)]);
/** What `ticket.comment.append*` takes: one string, within what a reply can hold. */
export const AppendArgs = z.tuple([z.string().min(1).max(65_536)]);
export const ResizeArgs = z.tuple([z.object({ width: Length.optional(), height: Length.optional() })]);
export const NotifyArgs = z.tuple([z.string(), z.string().optional(), z.unknown().optional()]).or(z.tuple([z.string()]));
export const CreateInstanceArgs = z.tuple([
  z.object({
    location: z.literal('modal'),
    /** Ignored when the manifest declares the modal (Zendesk then signs the declared URL). */
    url: z.string().min(1).optional(),
    size: z.object({ width: Length.optional(), height: Length.optional() }).optional(),
  }),
]);

export const RequestOptions = z.object({
  url: z.string().min(1),
  type: z
    .string()
    .regex(/^[A-Za-z]+$/)
    .optional(),
  data: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  contentType: z.union([z.string(), z.literal(false)]).optional(),
  dataType: z.string().optional(),
  httpCompleteResponse: z.boolean().optional(),
  timeout: z.number().positive().optional(),
  cors: z.boolean().optional(),
  secure: z.boolean().optional(),
});
export type RequestOptions = z.infer<typeof RequestOptions>;

/** Parses one posted message; anything else (other libraries' messages, garbage) yields undefined. */
export function parseSdkMessage(data: unknown): RpcMessage | KeyedMessage | undefined {
  let raw = data;
  if (typeof data === 'string') {
    try {
      raw = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  const rpc = RpcMessage.safeParse(raw);
  if (rpc.success) return rpc.data;
  const keyed = KeyedMessage.safeParse(raw);
  return keyed.success ? keyed.data : undefined;
}

export function cssLength(v: string | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' || /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
}
