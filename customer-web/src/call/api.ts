import {
  InviteViewSchema,
  JoinResponseSchema,
  type InviteView,
  type JoinRequest,
  type JoinResponse,
} from '@live-assist/protocol';

export const ApiFailure = {
  notFound: 'not-found',
  expired: 'expired',
  /** The link's call took place and is over (410 `invite-ended`). */
  ended: 'ended',
  inUse: 'in-use',
  network: 'network',
  badResponse: 'bad-response',
} as const;
export type ApiFailure = (typeof ApiFailure)[keyof typeof ApiFailure];

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export interface CustomerApi {
  getInvite(inviteToken: string): Promise<ApiResult<InviteView>>;
  join(inviteToken: string, request: JoinRequest): Promise<ApiResult<JoinResponse>>;
  /** Ends the session for both sides (`End call`). */
  endCall(inviteToken: string, participantToken: string): Promise<ApiResult<null>>;
}

function failureFor(status: number): ApiFailure {
  if (status === 404) return ApiFailure.notFound;
  if (status === 410) return ApiFailure.expired;
  if (status === 409) return ApiFailure.inUse;
  return ApiFailure.badResponse;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const failure = failureFor(response.status);
  if (failure !== ApiFailure.expired) return failure;
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    return body.error?.code === 'invite-ended' ? ApiFailure.ended : failure;
  } catch {
    return failure;
  }
}

/** Any zod schema fits; kept structural so this file needs no zod import of its own. */
type Parser<T> = { safeParse(value: unknown): { success: true; data: T } | { success: false } };

async function request<T>(url: string, init: RequestInit, schema: Parser<T>): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  } catch {
    return { ok: false, failure: ApiFailure.network };
  }
  if (!response.ok) return { ok: false, failure: await failureOf(response) };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, failure: ApiFailure.badResponse };
  }
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: ApiFailure.badResponse };
}

/** The relay's customer endpoints (docs/contract.md), same origin as the page. */
export function createCustomerApi(baseUrl = ''): CustomerApi {
  const invite = (token: string) => `${baseUrl}/api/invites/${encodeURIComponent(token)}`;
  return {
    getInvite: (token) => request(invite(token), { method: 'GET' }, InviteViewSchema),
    join: (token, body) =>
      request(
        `${invite(token)}/join`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
        JoinResponseSchema,
      ),
    async endCall(token, participantToken) {
      try {
        // keepalive: the page redirects shortly after; the request must outlive it.
        const response = await fetch(`${invite(token)}/end`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${participantToken}` },
          keepalive: true,
        });
        return response.ok ? { ok: true, value: null } : { ok: false, failure: failureFor(response.status) };
      } catch {
        return { ok: false, failure: ApiFailure.network };
      }
    },
  };
}
