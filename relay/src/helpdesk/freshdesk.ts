import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { FreshdeskConfig } from '../config/freshdesk.js';
import {
  AgentSchema,
  ContactSchema,
  TicketSchema,
  TicketScope,
  describeFreshdeskError,
  freshdeskAuthorization,
  type FreshdeskAgent,
  type FreshdeskTicket,
} from './freshdesk-api.js';
import { HelpdeskRest, type RestOptions } from './rest.js';
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

/** An agent's scope and groups change rarely; one lookup per minute per agent is enough. */
const AGENT_CACHE_MS = 60_000;
/** Collaborators see only the tickets they were invited to, which the API does not list. */
const AGENT_TYPES: readonly string[] = ['support_agent', 'field_agent'];

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Freshdesk REST v2 with an API key. Freshworks signs no agent identity for apps: the app load
 * proves the installation by its shared secret, and everything the app claims (the agent, the
 * ticket) is read back from Freshdesk before the relay acts on it (docs/freshdesk.md).
 */
export class FreshdeskHelpdesk implements Helpdesk {
  readonly account: string;
  private readonly rest: HelpdeskRest;
  private readonly now: () => number;
  private readonly secret: Buffer;
  private readonly agents = new Map<string, { agent: Promise<FreshdeskAgent | null>; at: number }>();

  constructor(config: FreshdeskConfig, opts: RestOptions = {}) {
    this.account = config.domain;
    this.now = opts.now ?? Date.now;
    // Compared as digests: equal lengths for timingSafeEqual, and no length leak.
    this.secret = digest(config.appSecret);
    const authorization = freshdeskAuthorization(config.apiKey);
    this.rest = new HelpdeskRest(config.baseUrl, () => authorization, opts);
  }

  private async json<T>(res: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HelpdeskUnavailableError(`Freshdesk sent an unexpected ${what} shape`);
    return parsed.data;
  }

  /** null on 404; anything else but 200 cannot be told apart from an outage. */
  private async read<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T | null> {
    const res = await this.rest.call('GET', path);
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      const detail = describeFreshdeskError(await res.text().catch(() => ''));
      throw new HelpdeskUnavailableError(`Freshdesk answered ${res.status} for ${what}${detail ? `: ${detail}` : ''}`);
    }
    return this.json(res, schema, what);
  }

  private ticket(ticketId: number, include = ''): Promise<FreshdeskTicket | null> {
    return this.read(`/api/v2/tickets/${ticketId}${include}`, TicketSchema, `ticket ${ticketId}`);
  }

  async getTicket(ticketId: number): Promise<HelpdeskTicket | null> {
    const ticket = await this.ticket(ticketId, '?include=requester');
    if (!ticket) return null;
    return {
      id: ticket.id,
      subject: ticket.subject ?? '',
      requester: {
        name: ticket.requester?.name ?? '',
        email: ticket.requester?.email ?? null,
        ...(await this.requesterLanguage(ticket.requester_id)),
      },
    };
  }

  /**
   * `include=requester` leaves out the language. It only picks the invite's and note's wording,
   * so a contact that cannot be read means the default language, not a failed session start.
   */
  private async requesterLanguage(contactId: number): Promise<{ locale?: string }> {
    try {
      const contact = await this.read(`/api/v2/contacts/${contactId}`, ContactSchema, `contact ${contactId}`);
      return contact?.language ? { locale: contact.language } : {};
    } catch (error) {
      if (error instanceof HelpdeskUnavailableError) return {};
      throw error;
    }
  }

  async addPublicComment(ticketId: number, comment: { html: string; authorId: string }): Promise<void> {
    const author = Number(comment.authorId);
    const res = await this.rest.call('POST', `/api/v2/tickets/${ticketId}/reply`, {
      body: comment.html,
      ...(Number.isSafeInteger(author) && author > 0 ? { user_id: author } : {}),
    });
    if (!res.ok) {
      const detail = describeFreshdeskError(await res.text().catch(() => ''));
      throw new HelpdeskUnavailableError(`Freshdesk answered ${res.status} to the reply on ticket ${ticketId}: ${detail}`);
    }
    await res.body?.cancel();
  }

  /** The agent record, cached briefly; null when Freshdesk knows no agent by that id. */
  private agent(id: string): Promise<FreshdeskAgent | null> {
    if (!/^[1-9]\d{0,15}$/.test(id)) return Promise.resolve(null);
    const cached = this.agents.get(id);
    if (cached && this.now() - cached.at < AGENT_CACHE_MS) return cached.agent;
    const agent = this.read(`/api/v2/agents/${id}`, AgentSchema, `agent ${id}`);
    this.agents.set(id, { agent, at: this.now() });
    agent.catch(() => this.agents.delete(id));
    return agent;
  }

  private static isActive(agent: FreshdeskAgent | null): agent is FreshdeskAgent {
    return (
      agent !== null &&
      agent.contact.active !== false &&
      agent.deactivated !== true &&
      (agent.type === undefined || AGENT_TYPES.includes(agent.type))
    );
  }

  private secretMatches(secret: string): boolean {
    return timingSafeEqual(digest(secret), this.secret);
  }

  async verifyAgent(credential: AgentCredential, _location: string): Promise<AgentIdentity> {
    if (credential.kind !== 'install-secret') throw new AgentVerificationError('Freshdesk app loads carry the installation secret');
    // The secret binds the load to this relay's one account; a claimed account must be that one.
    if (!this.secretMatches(credential.secret)) throw new AgentVerificationError('the installation secret does not match');
    if (credential.account !== undefined && credential.account.toLowerCase() !== this.account) {
      throw new AgentVerificationError(`the app says it runs in ${credential.account}, not ${this.account}`);
    }
    const agent = await this.agent(credential.agentId);
    if (!FreshdeskHelpdesk.isActive(agent)) {
      throw new NotAnAgentError(`Freshdesk user ${credential.agentId} is not an active agent`);
    }
    // Any agent of the account can name any other agent's id; the email guards against a
    // mismatched loggedInUser (another account, a stale page), not against that (docs/freshdesk.md).
    const email = agent.contact.email ?? null;
    if (email === null || email.toLowerCase() !== credential.email.trim().toLowerCase()) {
      throw new AgentVerificationError(`agent ${credential.agentId} has another email than the app reported`);
    }
    return {
      account: this.account,
      agentId: String(agent.id),
      name: agent.contact.name?.trim() || email,
      email,
      locale: agent.contact.language ?? null,
    };
  }

  /**
   * The agent's Freshdesk ticket scope, since the relay acts with an API key that sees every
   * ticket: global sees all; group sees its groups' tickets and its own; restricted only its own.
   * Freshdesk's finer rules (shared ownership, collaborators, role permissions) are not in the
   * API's answers and count as no access (docs/freshdesk.md).
   */
  async ticketAccess(agentId: string, ticketId: number): Promise<TicketAccess> {
    const [agent, ticket] = await Promise.all([this.agent(agentId), this.ticket(ticketId)]);
    if (!ticket) return 'not-found';
    if (!FreshdeskHelpdesk.isActive(agent)) return 'forbidden';
    const own = ticket.responder_id === agent.id;
    switch (agent.ticket_scope) {
      case TicketScope.global:
        return 'allowed';
      case TicketScope.group:
        return own || (ticket.group_id != null && (agent.group_ids ?? []).includes(ticket.group_id)) ? 'allowed' : 'forbidden';
      case TicketScope.restricted:
        return own ? 'allowed' : 'forbidden';
      default:
        // A scope this code does not know is treated as the strictest.
        return 'forbidden';
    }
  }
}
