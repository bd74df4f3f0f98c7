import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey } from 'jose';
import { z } from 'zod';
import type { ZendeskConfig } from '../config/helpdesk.js';
import {
  AgentVerificationError,
  HelpdeskUnavailableError,
  NotAnAgentError,
  type AgentCredential,
  type AgentIdentity,
  type Helpdesk,
  type HelpdeskTicket,
  type TicketAccess,
} from './types.js';
import { HelpdeskRest, type RestOptions } from './rest.js';

const UserSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  locale: z.string().nullable().optional(),
  role: z.string(),
  organization_id: z.number().int().nullable().optional(),
  /** Zendesk: null (all tickets), `groups`, `organization`, `assigned` or `requested`. */
  ticket_restriction: z.string().nullable().optional(),
  active: z.boolean().optional(),
  suspended: z.boolean().optional(),
});
type ZendeskUser = z.infer<typeof UserSchema>;

const TicketResponseSchema = z.object({
  ticket: z.object({
    id: z.number().int(),
    subject: z.string().nullable().optional(),
    requester_id: z.number().int(),
    assignee_id: z.number().int().nullable().optional(),
    group_id: z.number().int().nullable().optional(),
    organization_id: z.number().int().nullable().optional(),
  }),
  users: z.array(UserSchema.partial({ role: true })).optional(),
});

const MembershipsSchema = z.object({
  group_memberships: z.array(z.object({ group_id: z.number().int() })),
  next_page: z.string().nullable().optional(),
});

/** Zendesk's signed-URL token: iss, aud, sub, iat, exp, nbf, qsh, cnf and context. No user object. */
const SignedUrlClaimsSchema = z.object({
  sub: z.union([z.string().min(1), z.number()]).transform(String),
  context: z.object({ product: z.string().optional(), location: z.string().optional() }).optional(),
});

const CLOCK_TOLERANCE_S = 30;
/** An agent's name, role and restriction change rarely; one lookup per minute per agent is enough. */
const AGENT_CACHE_MS = 60_000;
const AGENT_ROLES: readonly string[] = ['agent', 'admin'];

/** Zendesk Support: REST API with API-token auth, agents proven by signed URLs (RS256). */
export class ZendeskHelpdesk implements Helpdesk {
  readonly account: string;
  private readonly audience: string;
  private publicKey: Promise<CryptoKey> | null = null;
  private readonly rest: HelpdeskRest;
  private readonly now: () => number;
  private readonly agents = new Map<string, { user: Promise<ZendeskUser | null>; at: number }>();

  /**
   * `apiBaseUrl` overrides where REST calls go while issuer and audience still come from
   * `config.baseUrl` (the sandbox is reached over loopback whatever its public URL is).
   */
  constructor(
    private readonly config: ZendeskConfig,
    opts: { apiBaseUrl?: string } & RestOptions = {},
  ) {
    this.account = new URL(config.baseUrl).host;
    this.audience = `${config.baseUrl}/api/v2/apps/installations/${config.installationId}.json`;
    this.now = opts.now ?? Date.now;
    this.rest = new HelpdeskRest((opts.apiBaseUrl ?? config.baseUrl).replace(/\/+$/, ''), () => this.authorization, opts);
  }

  private get authorization(): string {
    if (this.config.oauthToken) return `Bearer ${this.config.oauthToken}`;
    const raw = `${this.config.email}/token:${this.config.apiToken}`;
    return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
  }

  private async json<T>(res: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HelpdeskUnavailableError(`helpdesk sent an unexpected ${what} shape`);
    return parsed.data;
  }

  private async ticketRecord(ticketId: number): Promise<z.infer<typeof TicketResponseSchema> | null> {
    const res = await this.rest.call('GET', `/api/v2/tickets/${ticketId}.json?include=users`);
    if (res.status === 404) return null;
    if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} for ticket ${ticketId}`);
    return this.json(res, TicketResponseSchema, 'ticket');
  }

  async getTicket(ticketId: number): Promise<HelpdeskTicket | null> {
    const record = await this.ticketRecord(ticketId);
    if (!record) return null;
    const { ticket, users } = record;
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

  async addPublicComment(ticketId: number, comment: { html: string; authorId: string }): Promise<void> {
    const author = Number(comment.authorId);
    const res = await this.rest.call('PUT', `/api/v2/tickets/${ticketId}.json`, {
      ticket: {
        comment: { html_body: comment.html, public: true, ...(Number.isSafeInteger(author) && author > 0 ? { author_id: author } : {}) },
      },
    });
    await res.body?.cancel();
    if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} to the comment on ticket ${ticketId}`);
  }

  /** Fetched once; a failed fetch is not cached so the next launch retries. */
  private loadPublicKey(): Promise<CryptoKey> {
    this.publicKey ??= (async () => {
      const res = await this.rest.call('GET', `/api/v2/apps/${this.config.appId}/public_key.pem`);
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

  /** The user behind a verified token, cached briefly; null when Zendesk does not know them. */
  private agentUser(id: string): Promise<ZendeskUser | null> {
    const cached = this.agents.get(id);
    if (cached && this.now() - cached.at < AGENT_CACHE_MS) return cached.user;
    const user = (async () => {
      const res = await this.rest.call('GET', `/api/v2/users/${encodeURIComponent(id)}.json`);
      if (res.status === 404) return null;
      if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} for user ${id}`);
      return (await this.json(res, z.object({ user: UserSchema }), 'user')).user;
    })();
    this.agents.set(id, { user, at: this.now() });
    user.catch(() => this.agents.delete(id));
    return user;
  }

  async verifyAgent(credential: AgentCredential, location: string): Promise<AgentIdentity> {
    // Zendesk signs every load: a shared secret proves nothing about the agent here.
    if (credential.kind !== 'signed-launch') throw new AgentVerificationError('Zendesk app loads carry a signed URL token');
    const key = await this.loadPublicKey();
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(credential.token, key, {
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
    const { sub, context } = claims.data;
    // A token signed for the sidebar must not open the console, nor one for another product.
    if (context?.location !== location || (context.product ?? 'support') !== 'support') {
      throw new AgentVerificationError(`signed URL token is for ${context?.location ?? 'no location'}, not ${location}`);
    }
    const user = await this.agentUser(sub);
    if (!user || !AGENT_ROLES.includes(user.role) || user.active === false || user.suspended === true) {
      throw new NotAnAgentError(`user ${sub} is not an active agent (${user?.role ?? 'unknown'})`);
    }
    return {
      account: this.account,
      agentId: sub,
      name: user.name?.trim() || user.email || `Agent ${sub}`,
      email: user.email ?? null,
      locale: user.locale ?? null,
    };
  }

  private async groupIds(userId: string): Promise<Set<number>> {
    const ids = new Set<number>();
    let path: string | null = `/api/v2/users/${encodeURIComponent(userId)}/group_memberships.json?per_page=100`;
    for (let page = 0; path && page < 20; page += 1) {
      const res = await this.rest.call('GET', path);
      if (!res.ok) throw new HelpdeskUnavailableError(`helpdesk answered ${res.status} for the groups of user ${userId}`);
      const data = await this.json(res, MembershipsSchema, 'group memberships');
      for (const m of data.group_memberships) ids.add(m.group_id);
      const next: string | null = data.next_page ? new URL(data.next_page).pathname + new URL(data.next_page).search : null;
      path = next;
    }
    return ids;
  }

  /** Applies the agent's Zendesk `ticket_restriction`, since the relay itself acts with an admin token. */
  async ticketAccess(agentId: string, ticketId: number): Promise<TicketAccess> {
    const [user, record] = await Promise.all([this.agentUser(agentId), this.ticketRecord(ticketId)]);
    if (!record) return 'not-found';
    if (!user || !AGENT_ROLES.includes(user.role)) return 'forbidden';
    const id = Number(agentId);
    const { ticket } = record;
    switch (user.ticket_restriction ?? null) {
      case null:
        return 'allowed';
      case 'assigned':
        return ticket.assignee_id === id ? 'allowed' : 'forbidden';
      case 'requested':
        return ticket.requester_id === id ? 'allowed' : 'forbidden';
      case 'organization':
        return user.organization_id != null && ticket.organization_id === user.organization_id ? 'allowed' : 'forbidden';
      case 'groups': {
        if (ticket.assignee_id === id) return 'allowed';
        if (ticket.group_id == null) return 'forbidden';
        return (await this.groupIds(agentId)).has(ticket.group_id) ? 'allowed' : 'forbidden';
      }
      default:
        // A restriction this code does not know is treated as the strictest.
        return 'forbidden';
    }
  }
}
