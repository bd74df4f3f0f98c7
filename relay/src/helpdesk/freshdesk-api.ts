import { z } from 'zod';

/**
 * Freshdesk REST v2 as the relay reads it: auth, the shapes it relies on (zod, so a change on
 * Freshdesk's side is a clear error, not a wrong decision), error bodies and Link paging. Shared
 * by the helpdesk adapter (freshdesk.ts) and the note writer (writeback/freshdesk-writer.ts).
 */

/** Basic auth with the API key as user name; Freshdesk ignores the password, `X` by convention. */
export function freshdeskAuthorization(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:X`, 'utf8').toString('base64')}`;
}

const Id = z.number().int().positive();

export const AttachmentSchema = z.object({ size: z.number().int().nonnegative(), name: z.string().optional() });

export const TicketSchema = z.object({
  id: Id,
  subject: z.string().nullable().optional(),
  requester_id: Id,
  /** The agent the ticket is assigned to. */
  responder_id: Id.nullable().optional(),
  group_id: Id.nullable().optional(),
  /** The ticket's own files (from its description); they count against its attachment budget. */
  attachments: z.array(AttachmentSchema).optional(),
  /** `include=requester`: email, id, mobile, name, phone; the language needs the contact. */
  requester: z.object({ name: z.string().nullable().optional(), email: z.string().nullable().optional() }).optional(),
});
export type FreshdeskTicket = z.infer<typeof TicketSchema>;

export const ContactSchema = z.object({ id: Id, language: z.string().nullable().optional() });

/** ticket_scope: 1 global access, 2 group access, 3 restricted access (assigned tickets only). */
export const TicketScope = { global: 1, group: 2, restricted: 3 } as const;

export const AgentSchema = z.object({
  id: Id,
  ticket_scope: z.number().int(),
  group_ids: z.array(Id).optional(),
  /** support_agent, field_agent or collaborator. */
  type: z.string().optional(),
  /** Not in every copy of the API documentation; honoured when present. */
  deactivated: z.boolean().optional(),
  contact: z.object({
    /** False until the agent has verified the account, and for a disabled one. */
    active: z.boolean().optional(),
    name: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    language: z.string().nullable().optional(),
  }),
});
export type FreshdeskAgent = z.infer<typeof AgentSchema>;

export const ConversationSchema = z.object({
  id: Id,
  body: z.string().nullable().optional(),
  body_text: z.string().nullable().optional(),
  private: z.boolean().optional(),
  attachments: z.array(AttachmentSchema).optional(),
  created_at: z.string().nullable().optional(),
});
export type FreshdeskConversation = z.infer<typeof ConversationSchema>;

/** Freshdesk's largest page on list endpoints (conversations included). */
export const MAX_PER_PAGE = 100;

const ErrorBodySchema = z.object({
  description: z.string().optional(),
  message: z.string().optional(),
  code: z.string().optional(),
  errors: z.array(z.object({ field: z.string().optional(), message: z.string().optional(), code: z.string().optional() })).optional(),
});

/**
 * A Freshdesk error body in one line: `{description, errors: [{field, message, code}]}` for
 * validation, `{code, message}` for auth; anything else as the first characters of the text.
 */
export function describeFreshdeskError(text: string): string {
  let parsed;
  try {
    parsed = ErrorBodySchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) return text.slice(0, 300);
  const e = parsed.data;
  const details = (e.errors ?? []).slice(0, 5).map((x) => `${x.field ?? '?'}: ${x.message ?? ''} [${x.code ?? ''}]`);
  const head = e.description ?? e.message ?? e.code ?? '';
  return [head, ...details].filter(Boolean).join('; ').slice(0, 500);
}

/**
 * The `rel="next"` URL of a Link header, only on the account's own origin: the API key goes with
 * every request, so a link elsewhere is refused (null: no next page).
 */
export function nextPageUrl(link: string | null, origin: string): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m?.[1]) continue;
    const url = new URL(m[1], origin);
    if (url.origin !== origin) throw new Error(`Freshdesk pointed the next page at ${url.origin}`);
    return url.toString();
  }
  return null;
}
