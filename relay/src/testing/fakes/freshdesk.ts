import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FreshdeskConfig } from '../../config/freshdesk.js';
import { isFreshdeskError, readConversationWrite as readWrite, readTicketUpdate, type FreshdeskError } from '@live-assist/sandbox';
import { stripTags } from './zendesk-comments.js';

/** A note or reply as the stand-in keeps it: its files' sizes, not their bytes. */
export interface ConversationWrite {
  body: string;
  private: boolean;
  userId: number | null;
  files: { name: string; contentType: string; size: number }[];
}

/** Read with the sandbox's rules (Freshdesk's), so both stand-ins refuse the same bodies. */
function readConversationWrite(contentType: string | undefined, raw: Buffer, isNote: boolean): ConversationWrite | FreshdeskError {
  const w = readWrite(contentType, raw, isNote);
  if (isFreshdeskError(w)) return w;
  return { ...w, files: w.files.map(({ data, ...file }) => ({ ...file, size: data.length })) };
}

/**
 * A controllable stand-in for Freshdesk REST v2 at the HTTP boundary, for relay tests: tickets
 * with their requesters (contacts), agents with their ticket scope and groups, public replies,
 * private notes with files (multipart, Freshdesk's field rules), conversations paged by the Link
 * header, the 20 MB attachment budget of a ticket, and scripted failures. Where it differs from
 * Freshdesk it is stricter (the password must be `X`; the budget is read as decimal megabytes).
 */

export interface FakeFreshdeskAgent {
  id: number;
  name: string;
  email: string;
  language: string;
  /** 1 global, 2 group, 3 restricted (assigned tickets only). */
  ticket_scope: 1 | 2 | 3;
  group_ids?: number[];
  /** false: a deactivated (or unverified) agent. */
  active?: boolean;
  type?: 'support_agent' | 'field_agent' | 'collaborator';
}

export interface FakeFreshdeskTicket {
  id: number;
  subject: string;
  requester: { id: number; name: string; email: string; language: string };
  group_id?: number | null;
  responder_id?: number | null;
}

export interface FakeConversation {
  id: number;
  body: string;
  body_text: string;
  private: boolean;
  incoming: boolean;
  /** 0 reply, 2 note. */
  source: number;
  user_id: number | null;
  ticket_id: number;
  attachments: { id: number; name: string; content_type: string; size: number }[];
  created_at: string;
}

export interface SeenFreshdeskRequest {
  method: string;
  path: string;
  contentType: string | null;
  at: number;
}

/** `update`: a ticket's custom fields (the nameplate values), with the sandbox's rules for them. */
export type FreshdeskRoute = 'ticket' | 'contact' | 'agent' | 'reply' | 'note' | 'conversations' | 'update';

/** What the next matching request gets; `hang` never answers; `commit` first applies the request. */
export type FreshdeskScripted =
  { status: number; headers?: Record<string, string>; body?: string; commit?: boolean } | { hang: true; commit?: boolean };

/** "The total size of all the ticket's attachments … cannot exceed 20MB", read as decimal megabytes. */
export const FAKE_TICKET_BUDGET = 20 * 1000 * 1000;

export const DEFAULT_FRESHDESK_AGENT: FakeFreshdeskAgent = {
  id: 42,
  name: 'Ada Agent',
  email: 'ada@example.com',
  language: 'en',
  ticket_scope: 1,
};

export interface FakeFreshdesk {
  url: string;
  /** As the relay is configured for it (FRESHDESK_DOMAIN is the stand-in's origin). */
  config: FreshdeskConfig;
  /** The same as relay environment variables. */
  env: Record<string, string>;
  requests: SeenFreshdeskRequest[];
  /** Notes and replies as the stand-in read them (fields and file parts), in order. */
  writes: ({ route: 'note' | 'reply'; ticketId: number } & ConversationWrite)[];
  script(route: FreshdeskRoute, ...responses: FreshdeskScripted[]): void;
  conversations(ticketId: number): FakeConversation[];
  /** The ticket's private notes. */
  notes(ticketId: number): FakeConversation[];
  /** Another conversation with files of these sizes (the ticket's budget fills up). */
  addConversation(ticketId: number, fileSizes: number[], body?: string): void;
  /** The custom field values stored on the ticket (the sandbox's account fields: cf_serial_number …). */
  customFields(ticketId: number): Record<string, string | null>;
  /** What the ticket's files take in all. */
  attachmentBytes(ticketId: number): number;
  waitForRequests(route: FreshdeskRoute, count: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeFreshdeskOptions {
  tickets?: (number | FakeFreshdeskTicket)[];
  agents?: FakeFreshdeskAgent[];
  /** Files of the tickets' descriptions: ticket id → sizes. */
  ticketFiles?: Record<number, number[]>;
  /** Most conversations one page holds whatever per_page asks (small values exercise Link). */
  pageSize?: number;
  now?: () => number;
  port?: number;
  apiKey?: string;
  appSecret?: string;
}

function routeOf(method: string, path: string): FreshdeskRoute | null {
  if (method === 'GET' && /^\/api\/v2\/tickets\/\d+$/.test(path)) return 'ticket';
  if (method === 'PUT' && /^\/api\/v2\/tickets\/\d+$/.test(path)) return 'update';
  if (method === 'GET' && /^\/api\/v2\/contacts\/\d+$/.test(path)) return 'contact';
  if (method === 'GET' && /^\/api\/v2\/agents\/\d+$/.test(path)) return 'agent';
  if (method === 'POST' && /^\/api\/v2\/tickets\/\d+\/reply$/.test(path)) return 'reply';
  if (method === 'POST' && /^\/api\/v2\/tickets\/\d+\/notes$/.test(path)) return 'note';
  if (method === 'GET' && /^\/api\/v2\/tickets\/\d+\/conversations$/.test(path)) return 'conversations';
  return null;
}

function asTicket(t: number | FakeFreshdeskTicket): FakeFreshdeskTicket {
  if (typeof t !== 'number') return t;
  return {
    id: t,
    subject: `Ticket ${t}`,
    requester: { id: 900_000 + t, name: 'Rene Requester', email: `requester-${t}@example.com`, language: 'en' },
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sizes = (c: { attachments: { size: number }[] }) => c.attachments.reduce((n, a) => n + a.size, 0);
const TICKET_INCLUDES = new Set(['requester', 'stats', 'company', 'conversations']);

export async function startFakeFreshdesk(options: FakeFreshdeskOptions = {}): Promise<FakeFreshdesk> {
  const apiKey = options.apiKey ?? 'fd-test-api-key';
  const appSecret = options.appSecret ?? 'freshdesk-app-secret-for-tests-0123456789';
  const accepted = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
  const now = options.now ?? Date.now;
  const cap = Math.min(options.pageSize ?? 100, 100);
  const agents = options.agents ?? [DEFAULT_FRESHDESK_AGENT];
  const tickets = (options.tickets ?? [1]).map(asTicket);
  const ticketFiles = new Map(
    tickets.map((t) => [
      t.id,
      (options.ticketFiles?.[t.id] ?? []).map((size, i) => ({
        id: 70_000 + i,
        name: `file-${i}`,
        content_type: 'application/octet-stream',
        size,
      })),
    ]),
  );
  const conversations = new Map<number, FakeConversation[]>(tickets.map((t) => [t.id, []]));
  const requests: SeenFreshdeskRequest[] = [];
  const customFields = new Map<number, Record<string, string | null>>();
  const writes: FakeFreshdesk['writes'] = [];
  const scripts = new Map<FreshdeskRoute, FreshdeskScripted[]>();
  const waiters: { route: FreshdeskRoute; count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let nextId = 5000;

  const used = (ticketId: number) =>
    (ticketFiles.get(ticketId) ?? []).reduce((n, a) => n + a.size, 0) +
    (conversations.get(ticketId) ?? []).reduce((n, c) => n + sizes(c), 0);
  const notFound = { status: 404, body: { code: 'not_found', message: 'The requested resource could not be found' } };
  const ticketIdOf = (url: URL) => Number(/tickets\/(\d+)/.exec(url.pathname)?.[1]);
  const idOf = (url: URL) => Number(/\/(\d+)$/.exec(url.pathname)?.[1]);

  const store = (ticketId: number, w: ConversationWrite, isNote: boolean): FakeConversation => {
    const c: FakeConversation = {
      id: nextId++,
      body: w.body,
      body_text: stripTags(w.body),
      private: w.private,
      incoming: false,
      source: isNote ? 2 : 0,
      user_id: w.userId ?? agents[0]?.id ?? null,
      ticket_id: ticketId,
      attachments: w.files.map((f) => ({ id: nextId++, name: f.name, content_type: f.contentType, size: f.size })),
      created_at: iso(now()),
    };
    conversations.get(ticketId)!.push(c);
    return c;
  };

  const write = (route: 'note' | 'reply', url: URL, req: IncomingMessage, raw: Buffer): { status: number; body: unknown } => {
    const ticketId = ticketIdOf(url);
    if (!conversations.has(ticketId)) return notFound;
    const w = readConversationWrite(req.headers['content-type'], raw, route === 'note');
    if ('status' in w) return w;
    if (w.userId !== null && !agents.some((a) => a.id === w.userId)) {
      return {
        status: 400,
        body: {
          description: 'Validation failed',
          errors: [{ field: 'user_id', message: 'There is no agent matching the given user_id', code: 'invalid_value' }],
        },
      };
    }
    const adding = w.files.reduce((n, f) => n + f.size, 0);
    if (used(ticketId) + adding > FAKE_TICKET_BUDGET) {
      return {
        status: 400,
        body: {
          description: 'Validation failed',
          errors: [
            { field: 'attachments', message: "The total size of the ticket's attachments cannot exceed 20MB", code: 'invalid_value' },
          ],
        },
      };
    }
    writes.push({ route, ticketId, ...w });
    return { status: 201, body: store(ticketId, w, route === 'note') };
  };

  const showTicket = (url: URL): { status: number; body: unknown } => {
    const t = tickets.find((x) => x.id === idOf(url));
    if (!t) return notFound;
    const include = (url.searchParams.get('include') ?? '').split(',').filter(Boolean);
    const bad = include.find((i) => !TICKET_INCLUDES.has(i));
    if (bad)
      return {
        status: 400,
        body: {
          description: 'Validation failed',
          errors: [{ field: 'include', message: `It should be one/more of: ${[...TICKET_INCLUDES].join(',')}`, code: 'invalid_value' }],
        },
      };
    const { requester } = t;
    return {
      status: 200,
      body: {
        id: t.id,
        subject: t.subject,
        requester_id: requester.id,
        responder_id: t.responder_id ?? null,
        group_id: t.group_id ?? null,
        status: 2,
        priority: 1,
        source: 1,
        description_text: 'Not given.',
        attachments: ticketFiles.get(t.id),
        custom_fields: {},
        tags: [],
        // Only name, email, id, mobile and phone, as Freshdesk sends them: no language.
        ...(include.includes('requester')
          ? { requester: { id: requester.id, name: requester.name, email: requester.email, mobile: null, phone: null } }
          : {}),
      },
    };
  };

  const conversationPage = (url: URL, host: string): { status: number; body: unknown; headers?: Record<string, string> } => {
    const list = conversations.get(ticketIdOf(url));
    if (!list) return notFound;
    const perPage = Number(url.searchParams.get('per_page') ?? '30');
    const page = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !Number.isInteger(page) || page < 1) {
      return {
        status: 400,
        body: {
          description: 'Validation failed',
          errors: [{ field: 'per_page', message: 'It should be a Positive Integer less than or equal to 100', code: 'invalid_value' }],
        },
      };
    }
    const size = Math.min(perPage, cap);
    const rows = list.slice((page - 1) * size, page * size);
    const more = page * size < list.length;
    const next = `http://${host}${url.pathname}?page=${page + 1}&per_page=${perPage}`;
    return { status: 200, body: rows, ...(more ? { headers: { Link: `<${next}>; rel="next"` } } : {}) };
  };

  const apply = (
    route: FreshdeskRoute,
    url: URL,
    req: IncomingMessage,
    raw: Buffer,
  ): { status: number; body: unknown; headers?: Record<string, string> } => {
    switch (route) {
      case 'ticket':
        return showTicket(url);
      case 'contact': {
        const r = tickets.map((t) => t.requester).find((c) => c.id === idOf(url));
        return r
          ? { status: 200, body: { id: r.id, name: r.name, email: r.email, language: r.language, time_zone: 'Berlin', active: true } }
          : notFound;
      }
      case 'agent': {
        const a = agents.find((x) => x.id === idOf(url));
        if (!a) return notFound;
        const contact = {
          active: a.active ?? true,
          email: a.email,
          name: a.name,
          language: a.language,
          job_title: null,
          time_zone: 'Berlin',
        };
        return {
          status: 200,
          body: {
            id: a.id,
            available: true,
            occasional: false,
            ticket_scope: a.ticket_scope,
            group_ids: a.group_ids ?? [],
            role_ids: [1],
            type: a.type ?? 'support_agent',
            contact,
          },
        };
      }
      case 'reply':
      case 'note':
        return write(route, url, req, raw);
      case 'conversations':
        return conversationPage(url, req.headers.host ?? '127.0.0.1');
      case 'update': {
        const ticketId = ticketIdOf(url);
        if (!conversations.has(ticketId)) return notFound;
        const update = readTicketUpdate(req.headers['content-type'], raw);
        if (!update.ok) return { status: update.status, body: update.body };
        customFields.set(ticketId, { ...customFields.get(ticketId), ...update.values });
        return showTicket(url);
      }
    }
  };

  const server = createServer((req, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const route = routeOf(method, url.pathname);
      requests.push({ method, path: url.pathname + url.search, contentType: req.headers['content-type'] ?? null, at: Date.now() });
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      if (route) {
        const seen = requests.filter((r) => routeOf(r.method, r.path.split('?')[0]!) === route).length;
        for (const w of waiters.filter((x) => x.route === route && seen >= x.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const headers = {
        'Content-Type': 'application/json',
        'X-Request-Id': randomUUID(),
        'X-RateLimit-Total': '700',
        'X-RateLimit-Remaining': '699',
        'X-RateLimit-Used-CurrentRequest': '1',
      };
      const send = (status: number, body: unknown, extra: Record<string, string> = {}) =>
        res.writeHead(status, { ...headers, ...extra }).end(typeof body === 'string' ? body : JSON.stringify(body));
      if (req.headers.authorization !== accepted) {
        send(401, { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' });
        return;
      }
      if (!route) {
        send(404, { code: 'not_found', message: 'No such endpoint' });
        return;
      }
      const scripted = scripts.get(route)?.shift();
      if (scripted) {
        if (scripted.commit) apply(route, url, req, raw);
        if ('hang' in scripted) return;
        send(scripted.status, scripted.body ?? { description: `scripted ${scripted.status}` }, scripted.headers);
        return;
      }
      const result = apply(route, url, req, raw);
      send(result.status, result.body, result.headers);
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config: FreshdeskConfig = { kind: 'freshdesk', baseUrl: url, domain: new URL(url).host, apiKey, appSecret };

  return {
    url,
    config,
    env: { HELPDESK: 'freshdesk', FRESHDESK_DOMAIN: url, FRESHDESK_API_KEY: apiKey, FRESHDESK_APP_SECRET: appSecret },
    requests,
    writes,
    script(route, ...responses) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...responses]);
    },
    conversations: (ticketId) => conversations.get(ticketId) ?? [],
    notes: (ticketId) => (conversations.get(ticketId) ?? []).filter((c) => c.private),
    addConversation(ticketId, fileSizes, body = '<p>Earlier message</p>') {
      store(
        ticketId,
        {
          body,
          private: false,
          userId: null,
          files: fileSizes.map((size, i) => ({ name: `earlier-${i}.bin`, contentType: 'application/octet-stream', size })),
        },
        false,
      );
    },
    attachmentBytes: used,
    customFields: (ticketId) => ({ ...customFields.get(ticketId) }),
    waitForRequests(route, count) {
      const seen = requests.filter((r) => routeOf(r.method, r.path.split('?')[0]!) === route).length;
      if (seen >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ route, count, resolve }));
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
