import { ApiErrorSchema, SessionViewSchema, type SessionView } from '@live-assist/protocol';

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
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function createRelayApi(options: { relayUrl: string; agentToken: string; fetch?: Fetch }): AgentApi {
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<SessionView> {
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
    const session = SessionViewSchema.safeParse(json);
    if (!session.success) throw new RelayApiError(response.status, 'bad-response', 'The relay sent an unexpected answer');
    return session.data;
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
  };
}
