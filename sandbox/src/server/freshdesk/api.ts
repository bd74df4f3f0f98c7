import { randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { isFreshdeskError, readConversationWrite } from './writes.js';
import { FD_AGENT_ID, FD_TICKET_FIELDS, type FdStore, type FdTicket } from './store.js';
import { readTicketUpdate } from './ticket-update.js';
import { rateLimited, type FdStrictness } from './strictness.js';
import { agentJson, contactJson, conversationJson, ticketJson } from './serializers.js';

/**
 * The Freshdesk REST v2 calls the relay makes, with Freshdesk's rules where they would catch a bug
 * (multipart notes with string booleans, the 20 MB per-ticket budget, per_page ≤ 100 and Link
 * paging, `include` values, 429 + Retry-After). Where it cannot know Freshdesk's exact answer it is
 * stricter: the Basic password must be `X`, the budget is decimal megabytes.
 */

/** "The total size of all the ticket's attachments … cannot exceed 20MB", read as decimal megabytes. */
export const TICKET_ATTACHMENT_BUDGET = 20 * 1000 * 1000;
const TICKET_INCLUDES = new Set(['requester', 'stats', 'company', 'conversations']);
/** Freshdesk refuses larger request bodies long before this; the budget check answers first. */
const BODY_LIMIT = '40mb';

const validation = (field: string, message: string, code = 'invalid_value') => ({
  description: 'Validation failed',
  errors: [{ field, message, code }],
});
const NOT_FOUND = { code: 'not_found', message: 'The requested resource could not be found' } as const;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function requireApiKey(apiKey: string) {
  const accepted = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
  return (req: Request, res: Response, next: NextFunction) => {
    if (same(req.headers.authorization ?? '', accepted)) return next();
    res.status(401).json({ code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' });
  };
}

/** An id path segment: Freshdesk answers 404 for anything but a positive integer. */
function idParam(req: Request): number | null {
  const raw = String(req.params.id ?? '');
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

export function freshdeskApi(store: FdStore, opts: { apiKey: string; strictness: FdStrictness; now: () => number }): Router {
  const r = express.Router();
  r.use((_req, res, next) => {
    res.set({ 'X-Request-Id': randomUUID(), 'X-RateLimit-Total': '700', 'X-RateLimit-Remaining': '699' });
    next();
  });
  r.use(requireApiKey(opts.apiKey));
  r.use(rateLimited(opts.strictness));

  const ticketOr404 = (req: Request, res: Response): FdTicket | null => {
    const id = idParam(req);
    const ticket = id === null ? undefined : store.ticket(id);
    if (!ticket) res.status(404).json(NOT_FOUND);
    return ticket ?? null;
  };

  r.get('/tickets/:id', (req, res) => {
    const include = String(req.query.include ?? '')
      .split(',')
      .filter(Boolean);
    const bad = include.find((i) => !TICKET_INCLUDES.has(i));
    if (bad) {
      res.status(400).json(validation('include', `It should be one/more of: ${[...TICKET_INCLUDES].join(',')}`));
      return;
    }
    const ticket = ticketOr404(req, res);
    if (ticket) res.json(ticketJson(store, ticket, include.includes('requester')));
  });

  // Custom fields only (what the relay writes); ticket_fields lists what the account has.
  r.put('/tickets/:id', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const ticket = ticketOr404(req, res);
    if (!ticket) return;
    const update = readTicketUpdate(req.headers['content-type'], Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    if (!update.ok) {
      res.status(update.status).json(update.body);
      return;
    }
    store.setCustomFields(ticket.id, update.values);
    res.json(ticketJson(store, ticket, false));
  });

  r.get('/ticket_fields', (_req, res) => {
    res.json(
      FD_TICKET_FIELDS.map((f, i) => ({
        id: f.id,
        name: f.name,
        label: f.label,
        label_for_customers: f.label,
        type: f.type,
        default: false,
        position: 10 + i,
        required_for_agents: false,
        required_for_customers: false,
      })),
    );
  });

  r.get('/contacts/:id', (req, res) => {
    const id = idParam(req);
    const contact = id === null ? undefined : store.contact(id);
    if (contact) res.json(contactJson(contact));
    else res.status(404).json(NOT_FOUND);
  });

  r.get('/agents/:id', (req, res) => {
    const id = idParam(req);
    const agent = id === null ? undefined : store.agent(id);
    if (agent) res.json(agentJson(agent));
    else res.status(404).json(NOT_FOUND);
  });

  r.get('/tickets/:id/conversations', (req, res) => {
    const perPage = Number(req.query.per_page ?? '30');
    const page = Number(req.query.page ?? '1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      res.status(400).json(validation('per_page', 'It should be a Positive Integer less than or equal to 100'));
      return;
    }
    if (!Number.isInteger(page) || page < 1) {
      res.status(400).json(validation('page', 'It should be a Positive Integer'));
      return;
    }
    const ticket = ticketOr404(req, res);
    if (!ticket) return;
    const rows = store.conversations(ticket.id, (page - 1) * perPage, perPage);
    if (page * perPage < store.countConversations(ticket.id)) {
      // Absolute, on the host the caller used: the relay refuses a next page on another origin.
      const next = `${req.protocol}://${req.headers.host}${req.baseUrl}${req.path}?per_page=${perPage}&page=${page + 1}`;
      res.set('Link', `<${next}>; rel="next"`);
    }
    res.json(rows.map((c) => conversationJson(store, c)));
  });

  const write = (isNote: boolean) => (req: Request, res: Response) => {
    const ticket = ticketOr404(req, res);
    if (!ticket) return;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const w = readConversationWrite(req.headers['content-type'], raw, isNote);
    if (isFreshdeskError(w)) {
      res.status(w.status).json(w.body);
      return;
    }
    const userId = w.userId ?? FD_AGENT_ID;
    if (!store.agent(userId)) {
      res.status(400).json(validation('user_id', 'There is no agent matching the given user_id'));
      return;
    }
    const adding = w.files.reduce((n, f) => n + f.data.length, 0);
    if (store.attachmentBytes(ticket.id) + adding > TICKET_ATTACHMENT_BUDGET) {
      res.status(400).json(validation('attachments', "The total size of the ticket's attachments cannot exceed 20MB"));
      return;
    }
    const row = store.add(ticket.id, { ...w, userId }, isNote, opts.now());
    res.status(201).json(conversationJson(store, row));
  };
  const body = express.raw({ type: () => true, limit: BODY_LIMIT });
  r.post('/tickets/:id/reply', body, write(false));
  r.post('/tickets/:id/notes', body, write(true));

  r.use((_req, res) => {
    res.status(404).json({ code: 'not_found', message: 'No such endpoint' });
  });
  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status;
    if (status === 413) {
      res.status(413).json(validation('attachments', 'The request is too large'));
      return;
    }
    res.status(typeof status === 'number' && status >= 400 && status < 500 ? status : 500).json({
      code: 'error',
      message: err instanceof Error ? err.message : 'Internal error',
    });
  });
  return r;
}
