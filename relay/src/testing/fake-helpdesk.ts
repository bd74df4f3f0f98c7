import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
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
}

export interface SignOptions {
  sub?: string;
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
  sign(opts?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export async function generateSigningKey(): Promise<CryptoKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return privateKey;
}

export async function startFakeHelpdesk(tickets: FakeTicket[]): Promise<FakeHelpdesk> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const pem = await exportSPKI(publicKey);
  const requests: string[] = [];
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
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          ticket: { id: ticket.id, subject: ticket.subject, requester_id: ticket.requester.id, status: 'open' },
          users: [{ id: ticket.requester.id, name: ticket.requester.name, email: ticket.requester.email, locale: ticket.requester.locale }],
        }),
      );
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
    async sign(opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        context: { product: 'support', location: 'ticket_sidebar' },
        user: { id: 42, name: 'Ada Agent', email: 'ada@example.com', locale: 'en-US' },
        ...opts.claims,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer(opts.issuer ?? new URL(url).host)
        .setAudience(opts.audience ?? `${url}/api/v2/apps/installations/${installationId}.json`)
        .setSubject(opts.sub ?? '42')
        .setJti(randomUUID())
        .setIssuedAt(now)
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
