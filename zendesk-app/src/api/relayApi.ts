import type { z } from 'zod';
import {
  ApiErrorSchema,
  CallNoteViewSchema,
  InviteDeliveryOptionsSchema,
  InviteReplySchema,
  InviteSentSchema,
  ObserveResponseSchema,
  SmsStatusViewSchema,
  SessionViewSchema,
  type CallNoteView,
  type InviteDeliveryOptions,
  type InviteReply,
  type InviteSent,
  type ObserveResponse,
  type SmsStatusView,
  type SessionView,
} from '@live-assist/protocol';

export class RelayApiError extends Error {
  override readonly name = 'RelayApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The relay endpoints the agent side uses (docs/contract.md "Agent endpoints"). */
export interface AgentApi {
  /** The newest session of the ticket (active or ended), or null if it never had one. */
  ticketSession(ticketId: number): Promise<SessionView | null>;
  createSession(ticketId: number): Promise<SessionView>;
  getSession(sessionId: string): Promise<SessionView>;
  endSession(sessionId: string): Promise<SessionView>;
  /** Moves the specialist seat of a live call to this agent (the customer is told). */
  takeOver(sessionId: string): Promise<SessionView>;
  /** A watch-only token for a live call another agent holds (the customer sees who watches). */
  observe(sessionId: string): Promise<ObserveResponse>;
}

/** Write-back status and invite delivery, used by the sidebar only. */
export interface SidebarApi {
  /** When the call started and where its ticket note stands. */
  callNote(sessionId: string): Promise<CallNoteView>;
  deliveryOptions(): Promise<InviteDeliveryOptions>;
  /** Posts the link as a public comment on the session's ticket (the helpdesk emails the requester). */
  sendToRequester(sessionId: string): Promise<InviteSent>;
  sendSms(sessionId: string, phoneNumber: string): Promise<InviteSent>;
  /** Twilio's latest word on the session's last invite SMS. */
  smsStatus(sessionId: string): Promise<SmsStatusView>;
  /** The invite for the agent's own reply, in the requester's language (nothing is posted). */
  inviteReply(sessionId: string): Promise<InviteReply>;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function createRelayApi(options: { relayUrl: string; agentToken: string; fetch?: Fetch }): AgentApi & SidebarApi {
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<SessionView> {
    return request(SessionViewSchema, method, path, body);
  }

  async function request<T>(schema: z.ZodType<T>, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${options.relayUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${options.agentToken}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (err) {
      throw new RelayApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const apiError = ApiErrorSchema.safeParse(json);
      throw apiError.success
        ? new RelayApiError(response.status, apiError.data.error.code, apiError.data.error.message)
        : new RelayApiError(response.status, 'http', `The relay answered ${response.status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new RelayApiError(response.status, 'bad-response', 'The relay sent an unexpected answer');
    return parsed.data;
  }

  const id = (value: string | number) => encodeURIComponent(String(value));

  return {
    async ticketSession(ticketId) {
      try {
        return await call('GET', `/api/tickets/${id(ticketId)}/session`);
      } catch (err) {
        if (err instanceof RelayApiError && err.status === 404) return null;
        throw err;
      }
    },
    createSession: (ticketId) => call('POST', '/api/sessions', { ticketId }),
    getSession: (sessionId) => call('GET', `/api/sessions/${id(sessionId)}`),
    endSession: (sessionId) => call('POST', `/api/sessions/${id(sessionId)}/end`),
    takeOver: (sessionId) => call('POST', `/api/sessions/${id(sessionId)}/takeover`),
    observe: (sessionId) => request(ObserveResponseSchema, 'POST', `/api/sessions/${id(sessionId)}/observe`),
    callNote: (sessionId) => request(CallNoteViewSchema, 'GET', `/api/sessions/${id(sessionId)}/note`),
    deliveryOptions: () => request(InviteDeliveryOptionsSchema, 'GET', '/api/invite-delivery'),
    sendToRequester: (sessionId) => request(InviteSentSchema, 'POST', `/api/sessions/${id(sessionId)}/invite/requester`),
    sendSms: (sessionId, phoneNumber) => request(InviteSentSchema, 'POST', `/api/sessions/${id(sessionId)}/invite/sms`, { phoneNumber }),
    smsStatus: (sessionId) => request(SmsStatusViewSchema, 'GET', `/api/sessions/${id(sessionId)}/invite/sms`),
    inviteReply: (sessionId) => request(InviteReplySchema, 'GET', `/api/sessions/${id(sessionId)}/invite/reply`),
  };
}
