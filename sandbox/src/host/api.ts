import { z } from 'zod';

// The page reads the helpdesk through its own Zendesk-shaped API (authorized by the agent session cookie).
export const User = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  locale: z.string(),
  role: z.string(),
  time_zone: z.string().optional(),
});
export type User = z.infer<typeof User>;

export const Ticket = z.object({
  id: z.number(),
  subject: z.string(),
  description: z.string(),
  status: z.string(),
  priority: z.string().nullable(),
  type: z.string().nullable(),
  requester_id: z.number(),
  assignee_id: z.number().nullable(),
  tags: z.array(z.string()),
  via: z.object({ channel: z.string() }),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Ticket = z.infer<typeof Ticket>;

export const Attachment = z.object({
  id: z.number(),
  file_name: z.string(),
  content_url: z.string(),
  content_type: z.string(),
  size: z.number(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Comment = z.object({
  id: z.number(),
  author_id: z.number(),
  html_body: z.string(),
  plain_body: z.string(),
  public: z.boolean(),
  created_at: z.string(),
  attachments: z.array(Attachment),
});
export type Comment = z.infer<typeof Comment>;

export const SandboxConfig = z.object({
  publicUrl: z.string(),
  appUrl: z.string(),
  appId: z.number(),
  installationId: z.number(),
  subdomain: z.string(),
  settings: z.record(z.string(), z.string()),
  /** Locations the installed manifest declares, with settings filled in; only these are signed. */
  locations: z.object({ ticket_sidebar: z.string().optional(), modal: z.string().optional() }),
  agent: User.extend({ time_zone: z.string() }),
});
export type SandboxConfig = z.infer<typeof SandboxConfig>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(schema: z.ZodType<T>, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  if (!res.ok) throw new HttpError(res.status, `${init?.method ?? 'GET'} ${path} failed with ${res.status}`);
  return schema.parse(await res.json());
}

export const loadConfig = () => call(SandboxConfig, '/sandbox/api/config');

export const loadTickets = () =>
  call(z.object({ tickets: z.array(Ticket), users: z.array(User), count: z.number() }), '/api/v2/tickets.json?include=users');

export const loadTicket = (id: number) =>
  call(z.object({ ticket: Ticket, users: z.array(User) }), `/api/v2/tickets/${id}.json?include=users`);

export const loadComments = (id: number) =>
  call(
    z.object({ comments: z.array(Comment), users: z.array(User), count: z.number() }),
    `/api/v2/tickets/${id}/comments.json?include=users`,
  );

export const addComment = (id: number, body: string, isPublic: boolean) =>
  call(z.object({ ticket: Ticket }), `/api/v2/tickets/${id}.json`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket: { comment: { body, public: isPublic } } }),
  });

export const appToken = (location: 'ticket_sidebar' | 'modal', ticketId: number, agentId?: number) =>
  call(z.object({ token: z.string() }), '/sandbox/api/app-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ location, ticketId, ...(agentId ? { agentId } : {}) }),
  }).then((r) => r.token);
