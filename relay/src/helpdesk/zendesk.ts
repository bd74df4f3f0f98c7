import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey } from 'jose';
import { z } from 'zod';
import type { HelpdeskConfig } from '../config.js';
import {
  AgentVerificationError,
  HelpdeskUnavailableError,
  type AgentIdentity,
  type Helpdesk,
  type HelpdeskTicket,
} from './types.js';

const TicketResponseSchema = z.object({
  ticket: z.object({
    id: z.number().int(),
    subject: z.string().nullable().optional(),
    requester_id: z.number().int(),
  }),
  users: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string().nullable().optional(),
        email: z.string().nullable().optional(),
        locale: z.string().nullable().optional(),
      }),
    )
    .optional(),
});

const SignedUrlClaimsSchema = z.object({
  sub: z.union([z.string().min(1), z.number()]).transform(String),
  context: z.object({ product: z.string().optional(), location: z.string().optional() }).optional(),
  user: z
    .object({
      id: z.union([z.string(), z.number()]).optional(),
      name: z.string().optional(),
      email: z.string().nullable().optional(),
      locale: z.string().nullable().optional(),
    })
    .optional(),
});

const REQUEST_TIMEOUT_MS = 10_000;
const CLOCK_TOLERANCE_S = 30;

/** Zendesk Support: REST API with API-token auth, agents proven by signed URLs (RS256). */
export class ZendeskHelpdesk implements Helpdesk {
  readonly account: string;
  private readonly audience: string;
  private publicKey: Promise<CryptoKey> | null = null;

  private readonly apiBaseUrl: string;
  private readonly fetchImpl: typeof fetch;

  /**
   * `apiBaseUrl` overrides where REST calls go while issuer and audience still come from
   * `config.baseUrl` (the sandbox is reached over loopback whatever its public URL is).
   */
  constructor(
    private readonly config: HelpdeskConfig,
    opts: { apiBaseUrl?: string; fetch?: typeof fetch } = {},
  ) {
    this.account = new URL(config.baseUrl).host;
    this.audience = `${config.baseUrl}/api/v2/apps/installations/${config.installationId}.json`;
    this.apiBaseUrl = (opts.apiBaseUrl ?? config.baseUrl).replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
  }

  private get authorization(): string {
    if (this.config.oauthToken) return `Bearer ${this.config.oauthToken}`;
    const raw = `${this.config.email}/token:${this.config.apiToken}`;
    return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
  }

  private async get(path: string): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.apiBaseUrl}${path}`, {
        headers: { Authorization: this.authorization, Accept: 'application/json' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (cause) {
      throw new HelpdeskUnavailableError(`helpdesk request failed: GET ${path}`, { cause });
    }
  }

  async getTicket(ticketId: number): Promise<HelpdeskTicket | null> {
    const res = await this.get(`/api/v2/tickets/${ticketId}.json?include=users`);
    if (res.status === 404) return null;
    if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} for ticket ${ticketId}`);
    const parsed = TicketResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HelpdeskUnavailableError('helpdesk sent an unexpected ticket shape');
    const { ticket, users } = parsed.data;
    const requester = users?.find((u) => u.id === ticket.requester_id);
    return {
      id: ticket.id,
      subject: ticket.subject ?? '',
      requester: {
        name: requester?.name ?? '',
        email: requester?.email ?? null,
        ...(requester?.locale ? { locale: requester.locale } : {}),
      },
    };
  }

  async addPublicComment(ticketId: number, comment: { html: string }): Promise<void> {
    const path = `/api/v2/tickets/${ticketId}.json`;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.apiBaseUrl}${path}`, {
        method: 'PUT',
        headers: { Authorization: this.authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticket: { comment: { html_body: comment.html, public: true } } }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (cause) {
      throw new HelpdeskUnavailableError(`helpdesk request failed: PUT ${path}`, { cause });
    }
    if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} to the comment on ticket ${ticketId}`);
  }

  /** Fetched once; a failed fetch is not cached so the next launch retries. */
  private loadPublicKey(): Promise<CryptoKey> {
    this.publicKey ??= (async () => {
      const res = await this.get(`/api/v2/apps/${this.config.appId}/public_key.pem`);
      if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} for the app public key`);
      try {
        return await importSPKI(await res.text(), 'RS256');
      } catch (cause) {
        throw new HelpdeskUnavailableError('helpdesk sent an unusable app public key', { cause });
      }
    })();
    this.publicKey.catch(() => {
      this.publicKey = null;
    });
    return this.publicKey;
  }

  async verifyAgent(credential: string): Promise<AgentIdentity> {
    const key = await this.loadPublicKey();
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(credential, key, {
        algorithms: ['RS256'],
        issuer: this.account,
        audience: this.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (cause) {
      const reason = cause instanceof joseErrors.JOSEError ? cause.code : 'invalid token';
      throw new AgentVerificationError(`signed URL token rejected: ${reason}`, { cause });
    }
    const claims = SignedUrlClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AgentVerificationError('signed URL token has malformed claims');
    const { sub, user } = claims.data;
    return {
      account: this.account,
      agentId: sub,
      name: user?.name ?? `Agent ${sub}`,
      email: user?.email ?? null,
      locale: user?.locale ?? null,
    };
  }
}
