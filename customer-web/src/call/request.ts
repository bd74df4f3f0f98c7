import { InviteViewSchema, type InviteView } from '@live-assist/protocol/invite';

/**
 * The relay's customer endpoints share one way of asking and failing. Kept free of the full
 * protocol module: the page before consent uses `getInvite` from here and must stay small.
 */

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

/** The link itself does not work (unknown, expired, its call over): asking again gives the same answer. */
export function isLinkFailure(failure: ApiFailure): boolean {
  return failure === ApiFailure.notFound || failure === ApiFailure.expired || failure === ApiFailure.ended;
}

export function failureFor(status: number): ApiFailure {
  if (status === 404) return ApiFailure.notFound;
  if (status === 410) return ApiFailure.expired;
  if (status === 409) return ApiFailure.inUse;
  return ApiFailure.badResponse;
}

/** What an error answer means, from its status and its `{error:{code}}` body. */
export function failureFrom(status: number, body: unknown): ApiFailure {
  const failure = failureFor(status);
  if (failure !== ApiFailure.expired) return failure;
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return code === 'invite-ended' ? ApiFailure.ended : failure;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  if (failureFor(response.status) !== ApiFailure.expired) return failureFor(response.status);
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // No body to tell an ended call from an expired link: expired.
  }
  return failureFrom(response.status, body);
}

/** Any zod schema fits (full or mini); kept structural so this file needs no zod import of its own. */
type Parser<T> = { safeParse(value: unknown): { success: true; data: T } | { success: false } };

export async function request<T>(url: string, init: RequestInit, schema: Parser<T>): Promise<ApiResult<T>> {
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

export const inviteUrl = (baseUrl: string, token: string) => `${baseUrl}/api/invites/${encodeURIComponent(token)}`;

export function getInvite(baseUrl: string, token: string): Promise<ApiResult<InviteView>> {
  return request(inviteUrl(baseUrl, token), { method: 'GET' }, InviteViewSchema);
}
