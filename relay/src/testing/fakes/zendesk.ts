import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { ZendeskConfig } from '../../config/helpdesk.js';
import { commentsPage, stripTags, type FakeComment } from './zendesk-comments.js';

export type { FakeComment } from './zendesk-comments.js';

/**
 * A controllable stand-in for Zendesk at the HTTP boundary, for relay tests: tickets with their
 * requesters, users with their `ticket_restriction` and groups, the app's public key and signed-URL
 * tokens signed with the matching private key, uploads, ticket updates (public comments and internal
 * notes), paginated comments, and scripted failures. Where it differs from Zendesk it is stricter.
 */

export interface FakeTicket {
  id: number;
  subject: string;
  requester: { id: number; name: string; email: string; locale: string };
  group_id?: number | null;
  organization_id?: number | null;
  assignee_id?: number | null;
}

/** A user the app can be signed in as, or a comment written as; Zendesk's `ticket_restriction` applies to agents. */
export interface FakeUser {
  id: number;
  name: string;
  email: string;
  locale: string;
  role: 'admin' | 'agent' | 'end-user';
  ticket_restriction?: 'groups' | 'organization' | 'assigned' | 'requested' | null;
  organization_id?: number | null;
  groupIds?: number[];
}

/** The agent every test signs in as unless it names another. */
export const DEFAULT_AGENT: FakeUser = { id: 42, name: 'Ada Agent', email: 'ada@example.com', locale: 'en-US', role: 'admin' };

export interface SignOptions {
  sub?: string;
  /** `context.location`; default ticket_sidebar. */
  location?: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  key?: CryptoKey;
  claims?: JWTPayload;
}

export interface FakeUpload {
  token: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  uploadedAt: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  at: number;
}

/**
 * What the next matching request gets instead of normal handling.
 * `hang` never answers; `commit` first applies the request (the helpdesk did the work).
 */
export type Scripted =
  { status: number; headers?: Record<string, string>; body?: string; commit?: boolean } | { hang: true; commit?: boolean };

/** `note` is any ticket update: an internal note, a public comment, or custom field values. */
export type Route = 'upload' | 'note' | 'comments' | 'ticket' | 'user' | 'memberships' | 'public-key' | 'installation';

/** A custom ticket field of the account: a text field takes any string, a date field YYYY-MM-DD. */
export interface FakeTicketField {
  id: number;
  type: 'text' | 'date';
}

/** Default custom fields: a text field for the serial number, one for the model, a date field. */
export const FAKE_TICKET_FIELDS = {
  serial: { id: 5001, type: 'text' },
  model: { id: 5002, type: 'text' },
  warranty: { id: 5003, type: 'date' },
} as const;

/** Zendesk: "The attachment's token expires after 60 minutes". */
export const UPLOAD_TOKEN_LIFE_MS = 60 * 60_000;

export interface FakeZendesk {
  url: string;
  /** The account as the relay is configured for it (API token auth). */
  config: ZendeskConfig;
  email: string;
  apiToken: string;
  oauthToken: string;
  requests: SeenRequest[];
  /** Bodies of the ticket updates the account accepted, in order. */
  updates: { ticketId: number; body: unknown }[];
  /** A signed-URL token as Zendesk POSTs it when it loads an app location. */
  sign(opts?: SignOptions): Promise<string>;
  /** Queue a response for the next request on a route (FIFO per route). */
  script(route: Route, ...responses: Scripted[]): void;
  comments(ticketId: number): FakeComment[];
  uploads: Map<string, FakeUpload>;
  /** The app installation's settings (Show App Installation); a test sets the admin's field mapping here. */
  settings: Record<string, unknown>;
  /** The custom field values the account stored on a ticket, by field id. */
  fieldValues(ticketId: number): Map<number, string | null>;
  /** Resolves when `count` requests have been seen on the route. */
  waitForRequests(route: Route, count: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeZendeskOptions {
  /** The account's tickets; a bare id gets a generic requester. Default: ticket 1. */
  tickets?: (number | FakeTicket)[];
  /** The users the API knows (sign-ins, comment authors). Default: DEFAULT_AGENT. */
  users?: FakeUser[];
  /** Most comments one page holds whatever page[size] asks (small values exercise links.next). */
  pageSize?: number;
  /** The account's custom ticket fields. Default: FAKE_TICKET_FIELDS. */
  ticketFields?: FakeTicketField[];
  /** The account's clock: upload tokens expire 60 minutes after the upload, as Zendesk's do. */
  now?: () => number;
  port?: number;
}

const APP_ID = 7;
const INSTALLATION_ID = 99;

function routeOf(method: string, path: string): Route | null {
  if (method === 'POST' && path === '/api/v2/uploads.json') return 'upload';
  if (method === 'PUT' && /^\/api\/v2\/tickets\/\d+\.json$/.test(path)) return 'note';
  if (method === 'GET' && /^\/api\/v2\/tickets\/\d+\/comments\.json$/.test(path)) return 'comments';
  if (method === 'GET' && /^\/api\/v2\/tickets\/\d+\.json$/.test(path)) return 'ticket';
  if (method === 'GET' && /^\/api\/v2\/users\/\d+\.json$/.test(path)) return 'user';
  if (method === 'GET' && /^\/api\/v2\/users\/\d+\/group_memberships\.json$/.test(path)) return 'memberships';
  if (method === 'GET' && path === `/api/v2/apps/${APP_ID}/public_key.pem`) return 'public-key';
  if (method === 'GET' && path === `/api/v2/apps/installations/${INSTALLATION_ID}.json`) return 'installation';
  return null;
}

function asTicket(t: number | FakeTicket): FakeTicket {
  if (typeof t !== 'number') return t;
  return {
    id: t,
    subject: `Ticket ${t}`,
    requester: { id: 900_000 + t, name: 'Rene Requester', email: `requester-${t}@example.com`, locale: 'en-US' },
  };
}

const userJson = (u: FakeUser) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  locale: u.locale,
  role: u.role,
  organization_id: u.organization_id ?? null,
  ticket_restriction: u.role === 'end-user' ? 'requested' : (u.ticket_restriction ?? null),
  active: true,
  suspended: false,
});

export async function generateSigningKey(): Promise<CryptoKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return privateKey;
}

export async function startFakeZendesk(options: FakeZendeskOptions = {}): Promise<FakeZendesk> {
  const email = 'admin@example.com';
  const apiToken = 'test-api-token';
  const oauthToken = 'test-oauth-token';
  const accepted = new Set([`Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`, `Bearer ${oauthToken}`]);
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const pem = await exportSPKI(publicKey);
  const pageSize = options.pageSize ?? 100;
  const now = options.now ?? Date.now;
  const users = options.users ?? [DEFAULT_AGENT];
  const ticketList = (options.tickets ?? [1]).map(asTicket);
  const tickets = new Map<number, FakeComment[]>(ticketList.map((t) => [t.id, []]));
  const uploads = new Map<string, FakeUpload>();
  const requests: SeenRequest[] = [];
  const fieldTypes = new Map((options.ticketFields ?? Object.values(FAKE_TICKET_FIELDS)).map((f) => [f.id, f.type]));
  const fieldValues = new Map<number, Map<number, string | null>>();
  const settings: Record<string, unknown> = { relay_url: 'https://assist.example.com' };
  const updates: FakeZendesk['updates'] = [];
  const scripts = new Map<Route, Scripted[]>();
  const waiters: { route: Route; count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1000;
  let nextToken = 1;

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const notFound = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
  const idIn = (url: URL, pattern: RegExp): number => Number(pattern.exec(url.pathname)?.[1]);

  const showTicket = (url: URL): { status: number; body: unknown } => {
    const ticket = ticketList.find((t) => t.id === idIn(url, /tickets\/(\d+)/));
    if (!ticket) return notFound;
    const { requester } = ticket;
    return {
      status: 200,
      body: {
        ticket: {
          id: ticket.id,
          subject: ticket.subject,
          requester_id: requester.id,
          assignee_id: ticket.assignee_id ?? null,
          group_id: ticket.group_id ?? null,
          organization_id: ticket.organization_id ?? null,
          status: 'open',
        },
        // Side-loaded only when asked for, as Zendesk does.
        ...(url.searchParams.get('include') === 'users'
          ? { users: [{ id: requester.id, name: requester.name, email: requester.email, locale: requester.locale, role: 'end-user' }] }
          : {}),
      },
    };
  };

  const updateTicket = (url: URL, body: Buffer): { status: number; body: unknown } => {
    const ticketId = idIn(url, /tickets\/(\d+)/);
    const comments = tickets.get(ticketId);
    if (!comments) return notFound;
    let parsed: {
      ticket?: {
        comment?: { html_body?: unknown; public?: unknown; uploads?: unknown; author_id?: unknown };
        custom_fields?: unknown;
      };
    };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      return { status: 400, body: { error: 'Unprocessable JSON' } };
    }
    // Zendesk validates the whole update: a field it does not have, or a value its type refuses, stores nothing.
    const custom = parsed.ticket?.custom_fields;
    const storeFields = (entries: { id?: unknown; value?: unknown }[]) => {
      const values = fieldValues.get(ticketId) ?? new Map<number, string | null>();
      for (const f of entries) values.set(f.id as number, (f.value as string | null) || null);
      fieldValues.set(ticketId, values);
    };
    let fields: { id?: unknown; value?: unknown }[] = [];
    if (custom !== undefined) {
      const entries = Array.isArray(custom) ? (custom as { id?: unknown; value?: unknown }[]) : null;
      const valid = entries?.every((f) => {
        const type = typeof f?.id === 'number' ? fieldTypes.get(f.id) : undefined;
        if (type === undefined || (f.value !== null && typeof f.value !== 'string')) return false;
        return type === 'text' || f.value === null || /^\d{4}-\d{2}-\d{2}$/.test(f.value);
      });
      if (!entries || !valid) return { status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors' } };
      fields = entries;
      if (parsed.ticket?.comment === undefined) {
        storeFields(fields);
        updates.push({ ticketId, body: parsed });
        return { status: 200, body: { ticket: { id: ticketId } } };
      }
    }
    const comment = parsed.ticket?.comment;
    const tokens = Array.isArray(comment?.uploads) ? (comment.uploads as unknown[]) : [];
    const live = (t: unknown) => typeof t === 'string' && uploads.has(t) && now() - uploads.get(t)!.uploadedAt < UPLOAD_TOKEN_LIFE_MS;
    if (typeof comment?.html_body !== 'string' || !tokens.every(live)) {
      return { status: 422, body: { error: 'RecordInvalid' } };
    }
    // Zendesk refuses an author it does not know.
    const authorId = comment.author_id;
    if (authorId !== undefined && !users.some((u) => u.id === authorId)) return { status: 422, body: { error: 'RecordInvalid' } };
    const html = comment.html_body;
    storeFields(fields);
    updates.push({ ticketId, body: parsed });
    comments.push({
      id: nextId++,
      html_body: html,
      body: stripTags(html),
      plain_body: stripTags(html),
      public: comment.public !== false,
      author_id: typeof authorId === 'number' ? authorId : null,
      created_at: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      attachments: (tokens as string[]).map((t) => {
        const u = uploads.get(t)!;
        return { file_name: u.fileName, content_type: u.contentType, size: u.bytes.length };
      }),
    });
    return { status: 200, body: { ticket: { id: ticketId } } };
  };

  /** Applies the request to the in-memory account; returns the normal response. */
  const apply = (route: Route, url: URL, req: IncomingMessage, body: Buffer): { status: number; body: unknown } => {
    switch (route) {
      case 'upload': {
        const fileName = url.searchParams.get('filename');
        if (!fileName) return { status: 400, body: { error: 'filename missing' } };
        const token = `upload-${nextToken++}`;
        uploads.set(token, { token, fileName, contentType: String(req.headers['content-type']), bytes: body, uploadedAt: now() });
        return { status: 201, body: { upload: { token, attachment: { file_name: fileName, size: body.length } } } };
      }
      case 'note':
        return updateTicket(url, body);
      case 'comments': {
        const comments = tickets.get(idIn(url, /tickets\/(\d+)/));
        return comments ? commentsPage(comments, url, `http://${req.headers.host}`, pageSize) : notFound;
      }
      case 'ticket':
        return showTicket(url);
      case 'user': {
        const user = users.find((u) => u.id === idIn(url, /users\/(\d+)/));
        return user ? { status: 200, body: { user: userJson(user) } } : notFound;
      }
      case 'memberships': {
        const user = users.find((u) => u.id === idIn(url, /users\/(\d+)/));
        if (!user) return notFound;
        const memberships = (user.groupIds ?? []).map((g, i) => ({ id: 9000 + i, user_id: user.id, group_id: g, default: i === 0 }));
        return { status: 200, body: { group_memberships: memberships, next_page: null, count: memberships.length } };
      }
      case 'public-key':
        return { status: 200, body: pem };
      case 'installation':
        return { status: 200, body: { id: INSTALLATION_ID, app_id: APP_ID, product: 'support', enabled: true, settings: { ...settings } } };
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const route = routeOf(method, url.pathname);
      requests.push({ method, path: url.pathname + url.search, at: Date.now() });
      const body = await readBody(req);
      if (route) {
        const seen = requests.filter((r) => routeOf(r.method, r.path.split('?')[0]!) === route).length;
        for (const w of waiters.filter((w) => w.route === route && seen >= w.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      // Stricter than Zendesk, which serves the public key without credentials: the relay always sends them.
      if (!accepted.has(req.headers.authorization ?? '')) {
        json(res, 401, { error: "Couldn't authenticate you" });
        return;
      }
      if (!route) {
        json(res, 404, { error: 'InvalidEndpoint' });
        return;
      }
      const scripted = scripts.get(route)?.shift();
      if (scripted) {
        if (scripted.commit) apply(route, url, req, body);
        if ('hang' in scripted) return;
        res.writeHead(scripted.status, { 'Content-Type': 'application/json', ...scripted.headers });
        res.end(scripted.body ?? JSON.stringify({ error: `scripted ${scripted.status}` }));
        return;
      }
      const result = apply(route, url, req, body);
      if (typeof result.body === 'string') {
        res.writeHead(result.status, { 'Content-Type': 'application/x-pem-file' }).end(result.body);
        return;
      }
      json(res, result.status, result.body);
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    config: { baseUrl: url, email, apiToken, appId: APP_ID, installationId: INSTALLATION_ID },
    email,
    apiToken,
    oauthToken,
    requests,
    updates,
    uploads,
    async sign(opts = {}) {
      const nowSeconds = Math.floor(Date.now() / 1000);
      // Zendesk's claim set: the agent is named by `sub` only.
      return new SignJWT({
        context: { product: 'support', location: opts.location ?? 'ticket_sidebar' },
        ...opts.claims,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer(opts.issuer ?? new URL(url).host)
        .setAudience(opts.audience ?? `${url}/api/v2/apps/installations/${INSTALLATION_ID}.json`)
        .setSubject(opts.sub ?? String(DEFAULT_AGENT.id))
        .setJti(randomUUID())
        .setIssuedAt(nowSeconds)
        .setNotBefore(nowSeconds)
        .setExpirationTime(nowSeconds + (opts.expiresIn ?? 300))
        .sign(opts.key ?? privateKey);
    },
    script(route, ...responses) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...responses]);
    },
    comments(ticketId) {
      return tickets.get(ticketId) ?? [];
    },
    settings,
    fieldValues: (ticketId) => new Map(fieldValues.get(ticketId) ?? []),
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
