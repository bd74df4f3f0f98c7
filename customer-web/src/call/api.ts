import { JoinResponseSchema, type InviteView, type JoinRequest, type JoinResponse } from '@live-assist/protocol';
import { ApiFailure, failureFor, getInvite, inviteUrl, request, type ApiResult } from './request.js';

export { ApiFailure, type ApiResult } from './request.js';

export interface CustomerApi {
  getInvite(inviteToken: string): Promise<ApiResult<InviteView>>;
  join(inviteToken: string, request: JoinRequest): Promise<ApiResult<JoinResponse>>;
  /** Ends the session for both sides (`End call`). */
  endCall(inviteToken: string, participantToken: string): Promise<ApiResult<null>>;
}

/** The relay's customer endpoints (docs/contract.md), same origin as the page. */
export function createCustomerApi(baseUrl = ''): CustomerApi {
  const invite = (token: string) => inviteUrl(baseUrl, token);
  return {
    getInvite: (token) => getInvite(baseUrl, token),
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
