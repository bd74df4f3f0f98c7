import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A controllable stand-in for Zendesk's ticket REST API at the HTTP boundary: uploads,
 * internal notes through ticket updates, paginated comments, with scripted failures.
 */

export interface FakeUpload {
  token: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  uploadedAt: number;
}

export interface FakeComment {
  id: number;
  html_body: string;
  body: string;
  plain_body: string;
  public: boolean;
  author_id: number | null;
  /** ISO time on the account's clock, to the second like Zendesk's. */
  created_at: string;
  attachments: { file_name: string; content_type: string; size: number }[];
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

export type Route = 'upload' | 'note' | 'comments';

/** Zendesk: "The attachment's token expires after 60 minutes". */
export const UPLOAD_TOKEN_LIFE_MS = 60 * 60_000;

export interface FakeZendesk {
  url: string;
  email: string;
  apiToken: string;
  oauthToken: string;
  requests: SeenRequest[];
  /** Queue a response for the next request on a route (FIFO per route). */
  script(route: Route, ...responses: Scripted[]): void;
  comments(ticketId: number): FakeComment[];
  uploads: Map<string, FakeUpload>;
  /** Resolves when `count` requests have been seen on the route. */
  waitForRequests(route: Route, count: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeZendeskOptions {
  tickets?: number[];
  /** Most comments one page holds whatever page[size] asks (small values exercise links.next). */
  pageSize?: number;
  /** The account's clock: upload tokens expire 60 minutes after the upload, as Zendesk's do. */
  now?: () => number;
  port?: number;
}

function routeOf(method: string, path: string): Route | null {
  if (method === 'POST' && path === '/api/v2/uploads.json') return 'upload';
  if (method === 'PUT' && /^\/api\/v2\/tickets\/\d+\.json$/.test(path)) return 'note';
  if (method === 'GET' && /^\/api\/v2\/tickets\/\d+\/comments\.json$/.test(path)) return 'comments';
  return null;
}

/**
 * Zendesk's List Comments: offset pages (`page`, `per_page`) unless page[size] asks for cursor
 * pages (`meta.has_more`, `meta.after_cursor`, `links.next`); page[size] above 100 is a 400.
 */
function commentsPage(all: FakeComment[], url: URL, baseUrl: string, cap: number): { status: number; body: unknown } {
  const q = url.searchParams;
  const order = q.get('sort_order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') return { status: 400, body: { error: 'InvalidParameters' } };
  const sorted = order === 'desc' ? [...all].reverse() : all;
  const sizeParam = q.get('page[size]');
  if (sizeParam === null && !q.has('page[after]')) {
    const perPage = Math.min(Number(q.get('per_page') ?? '100'), cap);
    const page = Number(q.get('page') ?? '1');
    const more = page * perPage < sorted.length;
    const next = new URLSearchParams({ page: String(page + 1), per_page: String(perPage), sort_order: order });
    return {
      status: 200,
      body: {
        comments: sorted.slice((page - 1) * perPage, page * perPage),
        next_page: more ? `${baseUrl}${url.pathname}?${next}` : null,
        count: all.length,
      },
    };
  }
  const size = Number(sizeParam ?? '100');
  if (!Number.isInteger(size) || size < 1 || size > 100) return { status: 400, body: { error: 'InvalidPaginationParameter' } };
  const after = q.get('page[after]');
  const afterId = after === null ? null : Number(Buffer.from(after, 'base64url').toString('utf8').replace(/^c/, ''));
  if (afterId !== null && !Number.isSafeInteger(afterId)) return { status: 400, body: { error: 'InvalidPaginationParameter' } };
  const start = afterId === null ? 0 : sorted.findIndex((c) => c.id === afterId) + 1;
  if (afterId !== null && start === 0) return { status: 400, body: { error: 'InvalidPaginationParameter' } };
  const rows = sorted.slice(start, start + Math.min(size, cap));
  const hasMore = start + rows.length < sorted.length;
  const cursor = (c: FakeComment | undefined) => (c ? Buffer.from(`c${c.id}`, 'utf8').toString('base64url') : null);
  const afterCursor = cursor(rows.at(-1));
  const next = new URLSearchParams({ 'page[size]': String(size), 'page[after]': afterCursor ?? '', sort_order: order });
  return {
    status: 200,
    body: {
      comments: rows,
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: cursor(rows[0]) },
      links: { next: hasMore ? `${baseUrl}${url.pathname}?${next}` : null, prev: null },
    },
  };
}

const stripTags = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/\n{2,}/g, '\n')
    .trim();

export async function startFakeZendesk(options: FakeZendeskOptions = {}): Promise<FakeZendesk> {
  const email = 'writer@example.com';
  const apiToken = 'fake-api-token';
  const oauthToken = 'fake-oauth-token';
  const accepted = new Set([`Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`, `Bearer ${oauthToken}`]);
  const pageSize = options.pageSize ?? 100;
  const now = options.now ?? Date.now;
  const tickets = new Map<number, FakeComment[]>((options.tickets ?? [1]).map((id) => [id, []]));
  const uploads = new Map<string, FakeUpload>();
  const requests: SeenRequest[] = [];
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

  /** Applies the request to the in-memory account; returns the normal response. */
  const apply = (route: Route, url: URL, req: IncomingMessage, body: Buffer): { status: number; body: unknown } => {
    const baseUrl = `http://${req.headers.host}`;
    if (route === 'upload') {
      const fileName = url.searchParams.get('filename');
      if (!fileName) return { status: 400, body: { error: 'filename missing' } };
      const token = `upload-${nextToken++}`;
      uploads.set(token, { token, fileName, contentType: String(req.headers['content-type']), bytes: body, uploadedAt: now() });
      return { status: 201, body: { upload: { token, attachment: { file_name: fileName, size: body.length } } } };
    }
    const ticketId = Number(/tickets\/(\d+)/.exec(url.pathname)?.[1]);
    const comments = tickets.get(ticketId);
    if (!comments) return { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
    if (route === 'note') {
      let parsed: { ticket?: { comment?: { html_body?: unknown; public?: unknown; uploads?: unknown; author_id?: unknown } } };
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        return { status: 400, body: { error: 'Unprocessable JSON' } };
      }
      const comment = parsed.ticket?.comment;
      const tokens = Array.isArray(comment?.uploads) ? (comment.uploads as unknown[]) : [];
      const live = (t: unknown) => typeof t === 'string' && uploads.has(t) && now() - uploads.get(t)!.uploadedAt < UPLOAD_TOKEN_LIFE_MS;
      if (typeof comment?.html_body !== 'string' || !tokens.every(live)) {
        return { status: 422, body: { error: 'RecordInvalid' } };
      }
      const html = comment.html_body;
      comments.push({
        id: nextId++,
        html_body: html,
        body: stripTags(html),
        plain_body: stripTags(html),
        public: comment.public !== false,
        author_id: typeof comment.author_id === 'number' ? comment.author_id : null,
        created_at: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        attachments: (tokens as string[]).map((t) => {
          const u = uploads.get(t)!;
          return { file_name: u.fileName, content_type: u.contentType, size: u.bytes.length };
        }),
      });
      return { status: 200, body: { ticket: { id: ticketId } } };
    }
    return commentsPage(comments, url, baseUrl, pageSize);
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
      json(res, result.status, result.body);
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    email,
    apiToken,
    oauthToken,
    requests,
    uploads,
    script(route, ...responses) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...responses]);
    },
    comments(ticketId) {
      return tickets.get(ticketId) ?? [];
    },
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
