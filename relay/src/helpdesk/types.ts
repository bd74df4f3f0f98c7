/**
 * The relay's only view of the helpdesk (DESIGN §7). Zendesk implements it first; Freshdesk
 * comes next, so nothing here may name a Zendesk concept.
 */

export interface HelpdeskRequester {
  name: string;
  email: string | null;
  locale?: string;
}

export interface HelpdeskTicket {
  id: number;
  subject: string;
  requester: HelpdeskRequester;
}

/** Who opened the app, as proven by the helpdesk's signed launch credential. */
export interface AgentIdentity {
  /** Helpdesk account the agent belongs to (sessions are scoped to it). */
  account: string;
  agentId: string;
  name: string;
  email: string | null;
  locale: string | null;
}

export interface Helpdesk {
  /** Account identifier of this helpdesk (e.g. its host). */
  readonly account: string;
  /** null when the ticket does not exist; throws HelpdeskUnavailableError on other failures. */
  getTicket(ticketId: number): Promise<HelpdeskTicket | null>;
  /**
   * Verifies the credential the helpdesk hands the app on launch.
   * Throws AgentVerificationError when it is not valid, HelpdeskUnavailableError when it cannot tell.
   */
  verifyAgent(credential: string): Promise<AgentIdentity>;
  /**
   * Adds a comment the requester sees (and is emailed, where the helpdesk does that).
   * Throws HelpdeskUnavailableError when it could not be added.
   */
  addPublicComment(ticketId: number, comment: { html: string }): Promise<void>;
}

export class HelpdeskUnavailableError extends Error {
  override name = 'HelpdeskUnavailableError';
}

export class AgentVerificationError extends Error {
  override name = 'AgentVerificationError';
}
