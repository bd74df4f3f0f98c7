import { describe, expect, it, vi } from 'vitest';
import type { InviteView } from '@live-assist/protocol/invite';
import { embeddedInvite, firstInvite } from './embeddedInvite.js';
import type { ApiResult } from './request.js';

const INVITE: InviteView = {
  sessionId: 'session-1234',
  expiresAt: '2030-01-01T00:00:00.000Z',
  branding: {
    companyName: 'Wilo </script> & Co',
    logoUrl: null,
    primaryColor: '#009c82',
    policyUrl: 'https://wilo.example/privacy',
    policyVersion: 'v3',
    exitUrl: 'https://www.wilo.com/',
    exitDelaySeconds: 3,
  },
};

/** A page whose data block holds `text` (as the relay writes it: `<` escaped), or none at all. */
const page = (text?: string) => ({
  getElementById: (id: string) => (text !== undefined && id === 'live-assist-invite' ? ({ textContent: text } as HTMLElement) : null),
});
const answer = (status: number, body: unknown) => page(JSON.stringify({ status, body }).replace(/</g, '\\u003c'));
const asked = (result: ApiResult<InviteView> = { ok: true, value: INVITE }) => vi.fn(async () => result);

describe('the invite answer the page came with', () => {
  it('reads a working invite, its words as the relay escaped them', () => {
    expect(embeddedInvite(answer(200, INVITE))).toEqual({ ok: true, value: INVITE });
  });

  it.each([
    [404, 'invite-not-found', 'not-found'],
    [410, 'invite-expired', 'expired'],
    [410, 'invite-ended', 'ended'],
  ] as const)('reads %i %s as why the link does not work', (status, code, failure) => {
    expect(embeddedInvite(answer(status, { error: { code, message: 'no' } }))).toEqual({ ok: false, failure });
  });

  it.each([
    ['no block', page()],
    ['an empty block', page('')],
    ['not JSON', page('{')],
    ['no status', page('{"body":{}}')],
    ['an invite that does not fit the schema', answer(200, { sessionId: 'x' })],
    ['a status the join page never sends', answer(500, { error: { code: 'internal', message: 'no' } })],
  ])('is null with %s, so the page asks the API', (_case, doc) => {
    expect(embeddedInvite(doc)).toBeNull();
  });
});

describe('the first screen’s invite', () => {
  it('uses the answer the page came with, and asks once without waiting so the relay notes the link opened', () => {
    const ask = vi.fn(() => new Promise<ApiResult<InviteView>>(() => undefined));
    expect(firstInvite(answer(200, INVITE), ask)).toEqual({ ok: true, value: INVITE });
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('does not ask about a link the relay said does not work (each ask counts against the guessing limit)', () => {
    const ask = asked();
    expect(firstInvite(answer(404, { error: { code: 'invite-not-found', message: 'no' } }), ask)).toEqual({
      ok: false,
      failure: 'not-found',
    });
    expect(ask).not.toHaveBeenCalled();
  });

  it('asks the API when the page came without an answer', async () => {
    const ask = asked();
    const result = firstInvite(page(), ask);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ ok: true, value: INVITE });
    expect(ask).toHaveBeenCalledTimes(1);
  });
});
