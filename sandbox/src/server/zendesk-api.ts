import express from 'express';
import type { Response, Router } from 'express';
import { z } from 'zod';
import { requireAuth, type AuthConfig } from './auth.js';
import type { Serializer } from './serializers.js';
import { RecordInvalid, type Page, type Store } from './store.js';
import { fileTypeRefused, rateLimiter, type Strictness } from './strictness.js';
import { CustomFieldsSchema, ticketFieldsApi, type TicketFields } from './ticket-fields.js';
import type { Installation } from './installation.js';

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const idParam = z.coerce.number().int().positive();

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(100),
  include: z.string().optional(),
  sort_order: z.enum(['asc', 'desc']).default('asc'),
});

/** Cursors are opaque to clients; here they wrap the id of the page's edge comment. */
const encodeCursor = (id: number) => Buffer.from(`comment:${id}`, 'utf8').toString('base64url');
const cursorValue = z.string().transform((value, ctx) => {
  const id = /^comment:(\d{1,15})$/.exec(Buffer.from(value, 'base64url').toString('utf8'))?.[1];
  if (!id) {
    ctx.addIssue({ code: 'custom', message: 'page[after] is not a valid cursor' });
    return z.NEVER;
  }
  return Number(id);
});

/** Zendesk: "Most endpoints limit this to a maximum of 100"; List Comments is one of them. */
const cursorQuery = z.object({
  'page[size]': z.coerce.number().int().min(1).max(100).default(100),
  'page[after]': cursorValue.optional(),
});

const ticketUpdate = z.object({
  ticket: z.object({
    comment: z
      .object({
        body: z.string().min(1).max(65_536).optional(),
        html_body: z.string().min(1).max(65_536).optional(),
        public: z.boolean().default(true),
        author_id: z.number().int().positive().optional(),
        uploads: z.array(z.string().min(1).max(200)).max(50).default([]),
      })
      .refine((c) => c.body !== undefined || c.html_body !== undefined, { message: 'comment needs body or html_body' })
      .optional(),
    status: z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed']).optional(),
    /** Zendesk adds these to the ticket's tags (lower-cased, spaces split a tag). */
    additional_tags: z
      .array(
        z
          .string()
          .min(1)
          .max(80)
          .regex(/^[^\s,]+$/),
      )
      .max(50)
      .optional(),
    /** Custom ticket field values by field id; an unknown id or a value of the wrong type fails the update. */
    custom_fields: CustomFieldsSchema.optional(),
  }),
});

const uploadQuery = z.object({
  filename: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, 'filename must not contain path separators'),
  token: z.string().min(1).max(200).optional(),
});

function notFound(res: Response): void {
  res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
}

function invalid(res: Response, description: string, details: unknown = {}): void {
  res.status(422).json({ error: 'RecordInvalid', description, details });
}

function invalidPagination(res: Response, issues: z.ZodError): void {
  res
    .status(400)
    .json({ error: 'InvalidPaginationParameter', description: 'Invalid pagination parameter', details: z.flattenError(issues) });
}

function badRequest(res: Response, issues: z.ZodError): void {
  res.status(400).json({ error: 'InvalidParameters', description: 'Invalid request', details: z.flattenError(issues) });
}

/** Zendesk-compatible REST subset, mounted under /api/v2. */
export function zendeskApi(
  store: Store,
  ser: Serializer,
  auth: AuthConfig,
  publicKeyPem: string,
  appId: number,
  baseUrl: string,
  strictness: Strictness,
  account: { fields: TicketFields; installation: Installation; installationId: number },
): Router {
  const r = express.Router();
  /** A ticket as Zendesk shows it: with every custom field's value (null when unset). */
  const ticketJson = (t: Parameters<Serializer['ticket']>[0]) => {
    const values = account.fields.valuesOf(t.id);
    return { ...ser.ticket(t), custom_fields: values, fields: values };
  };

  // Zendesk publishes the app's public key without auth so servers can verify signed-URL tokens.
  r.get(`/apps/${appId}/public_key.pem`, (_req, res) => {
    res.type('application/x-pem-file').send(publicKeyPem);
  });

  r.use(requireAuth(auth));
  r.use(rateLimiter(strictness));
  r.use(ticketFieldsApi(account.fields, account.installation, { appId, installationId: account.installationId }));

  const pageLinks = (path: string, p: Page, count: number, include?: string) => {
    const link = (page: number) => {
      const q = new URLSearchParams({ page: String(page), per_page: String(p.perPage) });
      if (include) q.set('include', include);
      return `${baseUrl}/api/v2${path}?${q}`;
    };
    return {
      next_page: p.page * p.perPage < count ? link(p.page + 1) : null,
      previous_page: p.page > 1 ? link(p.page - 1) : null,
      count,
    };
  };

  const sideloadUsers = (include: string | undefined, ids: number[]) =>
    include?.split(',').includes('users') ? { users: store.users(ids).map((u) => ser.user(u)) } : {};

  r.get('/tickets.json', (req, res) => {
    const q = pageQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const p = { page: q.data.page, perPage: q.data.per_page };
    const { rows, count } = store.tickets(p);
    res.json({
      tickets: rows.map((t) => ticketJson(t)),
      ...sideloadUsers(
        q.data.include,
        rows.flatMap((t) => [t.requester_id, t.submitter_id, t.assignee_id ?? t.requester_id]),
      ),
      ...pageLinks('/tickets.json', p, count, q.data.include),
    });
  });

  r.get('/tickets/:id.json', (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const q = pageQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const t = id.success ? store.ticket(id.data) : undefined;
    if (!t) return notFound(res);
    res.json({
      ticket: ticketJson(t),
      ...sideloadUsers(q.data.include, [t.requester_id, t.submitter_id, t.assignee_id ?? t.requester_id]),
    });
  });

  r.get('/tickets/:id/comments.json', (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const q = pageQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const t = id.success ? store.ticket(id.data) : undefined;
    if (!t) return notFound(res);
    // Zendesk switches to cursor pagination when page[size] is given.
    if (req.query['page[size]'] !== undefined || req.query['page[after]'] !== undefined) {
      const c = cursorQuery.safeParse(req.query);
      if (!c.success) return invalidPagination(res, c.error);
      const size = c.data['page[size]'];
      const order = q.data.sort_order;
      const { rows, hasMore } = store.commentsAfter(t.id, c.data['page[after]'] ?? null, size, order);
      const attachments = store.attachmentsOf(rows.map((cm) => cm.id));
      const first = rows[0];
      const last = rows.at(-1);
      const link = (key: 'after' | 'before', cursor: string) => {
        const params = new URLSearchParams({ 'page[size]': String(size), [`page[${key}]`]: cursor, sort_order: order });
        if (q.data.include) params.set('include', q.data.include);
        return `${baseUrl}/api/v2/tickets/${t.id}/comments.json?${params}`;
      };
      const after = last ? encodeCursor(last.id) : null;
      const before = first ? encodeCursor(first.id) : null;
      return void res.json({
        comments: rows.map((cm) => ser.comment(cm, attachments.get(cm.id) ?? [])),
        ...sideloadUsers(
          q.data.include,
          rows.map((cm) => cm.author_id),
        ),
        meta: { has_more: hasMore, after_cursor: after, before_cursor: before },
        links: { next: after && hasMore ? link('after', after) : null, prev: before ? link('before', before) : null },
      });
    }
    const p = { page: q.data.page, perPage: q.data.per_page };
    const { rows, count } = store.comments(t.id, p, q.data.sort_order);
    const attachments = store.attachmentsOf(rows.map((c) => c.id));
    res.json({
      comments: rows.map((c) => ser.comment(c, attachments.get(c.id) ?? [])),
      ...sideloadUsers(
        q.data.include,
        rows.map((c) => c.author_id),
      ),
      ...pageLinks(`/tickets/${t.id}/comments.json`, p, count, q.data.include),
    });
  });

  r.put('/tickets/:id.json', express.json({ limit: '2mb' }), (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const t = id.success ? store.ticket(id.data) : undefined;
    if (!t) return notFound(res);
    const body = ticketUpdate.safeParse(req.body);
    if (!body.success) return badRequest(res, body.error);
    const { comment, status, additional_tags: tags, custom_fields: customFields } = body.data.ticket;
    try {
      // Zendesk validates the whole update first: a refused field value stores nothing of it.
      if (customFields) account.fields.check(customFields);
      const added = comment
        ? store.addComment(t.id, {
            body: comment.body,
            htmlBody: comment.html_body,
            isPublic: comment.public,
            authorId: comment.author_id ?? (res.locals.userId as number),
            uploads: comment.uploads,
          })
        : undefined;
      if (status) store.setStatus(t.id, status);
      if (tags) store.addTags(t.id, tags);
      if (customFields) account.fields.set(t.id, customFields);
      const updated = store.ticket(t.id) ?? t;
      const events = added ? [ser.comment(added, store.attachmentsOf([added.id]).get(added.id) ?? [])] : [];
      res.json({
        ticket: ticketJson(updated),
        audit: {
          id: added?.audit_id ?? null,
          ticket_id: t.id,
          created_at: updated.updated_at,
          author_id: res.locals.userId as number,
          metadata: { system: {}, custom: {} },
          events,
          via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
        },
      });
    } catch (e) {
      if (e instanceof RecordInvalid) return invalid(res, 'Record validation errors', { base: [{ description: e.message }] });
      throw e;
    }
  });

  r.post('/uploads.json', express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES }), (req, res) => {
    const q = uploadQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (content.length === 0) return invalid(res, 'Empty file');
    // Admin Center's attachment file-type rule applies to API uploads too.
    if (fileTypeRefused(strictness, q.data.filename))
      return invalid(res, 'File type is not allowed', { base: [{ description: 'File type is not allowed' }] });
    const contentType = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim() || 'application/octet-stream';
    try {
      const { token, attachment } = store.addUpload(q.data.filename, contentType, content, q.data.token);
      const a = ser.attachment(attachment);
      res.status(201).json({
        upload: { token, expires_at: new Date(Date.now() + 3 * 24 * 3_600_000).toISOString(), attachment: a, attachments: [a] },
      });
    } catch (e) {
      if (e instanceof RecordInvalid) return invalid(res, e.message);
      throw e;
    }
  });

  r.get('/users/me.json', (_req, res) => {
    const u = store.user(res.locals.userId as number);
    if (!u) return notFound(res);
    res.json({ user: ser.user(u) });
  });

  r.get('/users/:id.json', (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const u = id.success ? store.user(id.data) : undefined;
    if (!u) return notFound(res);
    res.json({ user: ser.user(u) });
  });

  r.get('/users/:id/group_memberships.json', (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const u = id.success ? store.user(id.data) : undefined;
    if (!u) return notFound(res);
    const rows = store.groupMemberships(u.id);
    res.json({
      group_memberships: rows.map((m, i) => ser.groupMembership(m, i === 0)),
      next_page: null,
      previous_page: null,
      count: rows.length,
    });
  });

  r.use((_req, res) => notFound(res));
  return r;
}
