/**
 * The relay's only view of the helpdesk. Zendesk implements it first; Freshdesk
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

/**
 * What an app load presents to prove who runs it. Helpdesks differ here more than anywhere:
 * Zendesk signs a token naming the agent for each load; Freshworks signs nothing, so its app sends
 * the installation's shared secret (added by Freshworks' proxy, never seen by the browser) and
 * the agent the app says it runs for, which the relay then checks with the helpdesk.
 */
export type AgentCredential =
  | { kind: 'signed-launch'; token: string }
  | {
      kind: 'install-secret';
      secret: string;
      /** The helpdesk's id of the agent the app reports as signed in. */
      agentId: string;
      /** That agent's email as the app read it; must match the helpdesk's record. */
      email: string;
      /** The helpdesk account the app reports it runs in, when it tells; must be this relay's. */
      account?: string;
    };

/** Who opened the app, as proven by the helpdesk's launch credential (see AgentCredential). */
export interface AgentIdentity {
  /** Helpdesk account the agent belongs to (sessions are scoped to it). */
  account: string;
  agentId: string;
  name: string;
  email: string | null;
  locale: string | null;
}

/** Whether an agent may act on a ticket under the helpdesk's own access rules. */
export type TicketAccess = 'allowed' | 'forbidden' | 'not-found';

export interface Helpdesk {
  /** Account identifier of this helpdesk (e.g. its host). */
  readonly account: string;
  /** null when the ticket does not exist; throws HelpdeskUnavailableError on other failures. */
  getTicket(ticketId: number): Promise<HelpdeskTicket | null>;
  /**
   * Verifies the credential the app presents on launch for `location`, and reads the agent it
   * names from the helpdesk. Throws AgentVerificationError when it is not valid (or of a kind this
   * helpdesk does not issue), NotAnAgentError when it names no active agent,
   * HelpdeskUnavailableError when it cannot tell.
   */
  verifyAgent(credential: AgentCredential, location: string): Promise<AgentIdentity>;
  /**
   * Whether the agent may see the ticket under the helpdesk's own rules (groups, organization…);
   * the relay acts with an admin credential, so it must ask before acting for an agent.
   */
  ticketAccess(agentId: string, ticketId: number): Promise<TicketAccess>;
  /**
   * Adds a comment the requester sees (and is emailed, where the helpdesk does that), written as
   * the agent `authorId`. Throws HelpdeskUnavailableError when it could not be added.
   */
  addPublicComment(ticketId: number, comment: { html: string; authorId: string }): Promise<void>;
}

export class HelpdeskUnavailableError extends Error {
  override name = 'HelpdeskUnavailableError';
}

export class AgentVerificationError extends Error {
  override name = 'AgentVerificationError';
}

/** The credential is valid but names someone who is not an active agent (e.g. an end-user). */
export class NotAnAgentError extends AgentVerificationError {
  override name = 'NotAnAgentError';
}
