import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { HelpdeskConfig } from '../config.js';

/**
 * A minimal Zendesk stand-in at the HTTP boundary, for relay tests: tickets with requesters,
 * the app public key, and signing of signed-URL tokens with the matching private key.
 */

export interface FakeTicket {
  id: number;
  subject: string;
  requester: { id: number; name: string; email: string; locale: string };
  group_id?: number | null;
  organization_id?: number | null;
  assignee_id?: number | null;
}

/** A user the app can be signed in as; Zendesk's `ticket_restriction` applies to agents. */
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

export interface FakeHelpdesk {
  url: string;
  config: HelpdeskConfig;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  /** Bodies of ticket updates, in order. */
  updates: { ticketId: number; body: unknown }[];
  sign(opts?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export async function generateSigningKey(): Promise<CryptoKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return privateKey;
}

export async function startFakeHelpdesk(tickets: FakeTicket[], users: FakeUser[] = [DEFAULT_AGENT]): Promise<FakeHelpdesk> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const pem = await exportSPKI(publicKey);
  const requests: string[] = [];
  const updates: FakeHelpdesk['updates'] = [];
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
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
  const email = 'admin@example.com';
  const apiToken = 'test-api-token';
  const expectedAuth = `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`;
  const appId = 7;
  const installationId = 99;

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(`${req.method} ${path}`);
    if (req.headers.authorization !== expectedAuth) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"Couldn\'t authenticate you"}');
      return;
    }
    if (req.method === 'GET' && path === `/api/v2/apps/${appId}/public_key.pem`) {
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file' }).end(pem);
      return;
    }
    const ticketMatch = /^\/api\/v2\/tickets\/(\d+)\.json\?include=users$/.exec(path);
    if (req.method === 'GET' && ticketMatch) {
      const ticket = tickets.find((t) => t.id === Number(ticketMatch[1]));
      if (!ticket) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"RecordNotFound"}');
        return;
      }
      json(res, 200, {
        ticket: {
          id: ticket.id,
          subject: ticket.subject,
          requester_id: ticket.requester.id,
          assignee_id: ticket.assignee_id ?? null,
          group_id: ticket.group_id ?? null,
          organization_id: ticket.organization_id ?? null,
          status: 'open',
        },
        users: [
          {
            id: ticket.requester.id,
            name: ticket.requester.name,
            email: ticket.requester.email,
            locale: ticket.requester.locale,
            role: 'end-user',
          },
        ],
      });
      return;
    }
    const userMatch = /^\/api\/v2\/users\/(\d+)\.json$/.exec(path);
    if (req.method === 'GET' && userMatch) {
      const user = users.find((u) => u.id === Number(userMatch[1]));
      if (!user) return void json(res, 404, { error: 'RecordNotFound' });
      return void json(res, 200, { user: userJson(user) });
    }
    const groupsMatch = /^\/api\/v2\/users\/(\d+)\/group_memberships\.json(\?.*)?$/.exec(path);
    if (req.method === 'GET' && groupsMatch) {
      const user = users.find((u) => u.id === Number(groupsMatch[1]));
      if (!user) return void json(res, 404, { error: 'RecordNotFound' });
      const memberships = (user.groupIds ?? []).map((g, i) => ({ id: 9000 + i, user_id: user.id, group_id: g, default: i === 0 }));
      return void json(res, 200, { group_memberships: memberships, next_page: null, count: memberships.length });
    }
    const putMatch = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(path);
    if (req.method === 'PUT' && putMatch) {
      const ticketId = Number(putMatch[1]);
      if (!tickets.some((t) => t.id === ticketId)) return void json(res, 404, { error: 'RecordNotFound' });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return void json(res, 400, { error: 'InvalidJSON' });
        }
        const authorId = (body as { ticket?: { comment?: { author_id?: unknown } } }).ticket?.comment?.author_id;
        // Zendesk refuses an author it does not know.
        if (authorId !== undefined && !users.some((u) => u.id === authorId)) return void json(res, 422, { error: 'RecordInvalid' });
        updates.push({ ticketId, body });
        json(res, 200, { ticket: { id: ticketId } });
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"InvalidEndpoint"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config: HelpdeskConfig = { baseUrl: url, email, apiToken, appId, installationId };

  return {
    url,
    config,
    requests,
    updates,
    async sign(opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      // Zendesk's claim set: the agent is named by `sub` only.
      return new SignJWT({
        context: { product: 'support', location: opts.location ?? 'ticket_sidebar' },
        ...opts.claims,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer(opts.issuer ?? new URL(url).host)
        .setAudience(opts.audience ?? `${url}/api/v2/apps/installations/${installationId}.json`)
        .setSubject(opts.sub ?? '42')
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + (opts.expiresIn ?? 300))
        .sign(opts.key ?? privateKey);
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
