import { INVITE_ANSWER_ELEMENT_ID, InviteViewSchema, type InviteAnswer, type InviteView } from '@live-assist/protocol/invite';
import { failureFrom, isLinkFailure, type ApiResult } from './request.js';

/**
 * The relay's answer to this page's invite link, sent in the HTML (relay/src/sessions/join-page.ts)
 * so the first screen does not wait for `GET /api/invites/:token`. Null when the page has no such
 * block or it cannot be read: the page then asks the API as before.
 */
export function embeddedInvite(doc: Pick<Document, 'getElementById'>): ApiResult<InviteView> | null {
  const text = doc.getElementById(INVITE_ANSWER_ELEMENT_ID)?.textContent;
  if (!text) return null;
  let answer: Partial<InviteAnswer> | null;
  try {
    answer = JSON.parse(text) as Partial<InviteAnswer> | null;
  } catch {
    return null;
  }
  if (typeof answer?.status !== 'number') return null;
  if (answer.status === 200) {
    const parsed = InviteViewSchema.safeParse(answer.body);
    return parsed.success ? { ok: true, value: parsed.data } : null;
  }
  // The relay sends only a working invite or why it does not work (404, 410).
  const failure = failureFrom(answer.status, answer.body);
  return isLinkFailure(failure) ? { ok: false, failure } : null;
}

/**
 * The first screen's invite: the answer the page came with, else the API's (`ask`). With an answer
 * at hand, a working link is still asked about once, not waited for: the relay notes the link as
 * opened (what the agent sees) only then, not for its HTML, which a link preview fetches too. A link
 * that does not work is not asked about again: each ask would count against the guessing limit.
 */
export function firstInvite(
  doc: Pick<Document, 'getElementById'>,
  ask: () => Promise<ApiResult<InviteView>>,
): ApiResult<InviteView> | Promise<ApiResult<InviteView>> {
  const embedded = embeddedInvite(doc);
  if (!embedded) return ask();
  if (embedded.ok) void ask();
  return embedded;
}
