import { z } from 'zod';
import { RoleSchema } from '../common.js';
import { UploadIdSchema, UploadViewSchema } from '../uploads.js';

/**
 * Chat frames. The sender picks a client id so a resend after a drop is idempotent;
 * the relay stores the message, gives it the session's next sequence number and only then
 * delivers it to both sides. After every welcome a client asks for what it missed with
 * `chat-sync` from the last sequence number it has seen.
 */

export const MAX_CHAT_TEXT = 2000;
export const MAX_CHAT_ATTACHMENTS = 4;
/**
 * What one session's chat may hold (messages and bytes of text): a call's conversation fits many
 * times over, a flood does not; the note's transcript therefore stays bounded too.
 */
export const MAX_SESSION_CHAT_MESSAGES = 2_000;
export const MAX_SESSION_CHAT_BYTES = 1_000_000;
/** How much of the quoted message travels with a reply. */
export const MAX_QUOTE_TEXT = 200;
/** Messages per `chat-history` frame; the client asks again while `more` is true. */
export const CHAT_HISTORY_PAGE = 100;

export const ChatClientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const ChatMessageIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const ChatSendSchema = z
  .object({
    type: z.literal('chat-send'),
    clientId: ChatClientIdSchema,
    text: z.string().max(MAX_CHAT_TEXT),
    replyTo: ChatMessageIdSchema.optional(),
    attachments: z.array(UploadIdSchema).max(MAX_CHAT_ATTACHMENTS).default([]),
  })
  .refine((m) => m.text.trim().length > 0 || m.attachments.length > 0, {
    message: 'a message needs text or a photo',
  });
export type ChatSend = z.infer<typeof ChatSendSchema>;

export const ChatSyncSchema = z.object({
  type: z.literal('chat-sync'),
  /** Highest sequence number this client has; 0 for everything. */
  afterSeq: z.number().int().nonnegative(),
});

export const ChatQuoteSchema = z.object({
  id: ChatMessageIdSchema,
  seq: z.number().int().positive(),
  from: RoleSchema,
  text: z.string().max(MAX_QUOTE_TEXT),
  photos: z.number().int().nonnegative(),
});
export type ChatQuote = z.infer<typeof ChatQuoteSchema>;

export const ChatMessageSchema = z.object({
  id: ChatMessageIdSchema,
  seq: z.number().int().positive(),
  clientId: ChatClientIdSchema,
  from: RoleSchema,
  senderName: z.string().max(200),
  text: z.string().max(MAX_CHAT_TEXT),
  replyTo: ChatQuoteSchema.nullable(),
  attachments: z.array(UploadViewSchema).max(MAX_CHAT_ATTACHMENTS),
  sentAt: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChatMessageFrameSchema = z.object({
  type: z.literal('chat-message'),
  message: ChatMessageSchema,
});

export const ChatHistorySchema = z.object({
  type: z.literal('chat-history'),
  messages: z.array(ChatMessageSchema),
  /** More messages follow; ask again with the last seq of this page. */
  more: z.boolean(),
});

/** A send the relay will not store (bad reply target, foreign attachment); the client marks it failed. */
export const ChatRejectedSchema = z.object({
  type: z.literal('chat-rejected'),
  clientId: ChatClientIdSchema,
  reason: z.enum(['bad-reply', 'bad-attachment', 'storage', 'quota']),
  message: z.string(),
});
export type ChatRejected = z.infer<typeof ChatRejectedSchema>;

export const chatClientFrames = [ChatSendSchema, ChatSyncSchema] as const;
export const chatRelayFrames = [ChatMessageFrameSchema, ChatHistorySchema, ChatRejectedSchema] as const;
