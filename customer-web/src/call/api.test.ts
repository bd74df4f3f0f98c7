import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure, createCustomerApi } from './api.js';

const answer = (status: number, body: unknown) =>
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('customer API failures', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('tells an ended call from an expired link, so the page can say which', async () => {
    const api = createCustomerApi('http://relay.test');
    answer(410, { error: { code: 'invite-ended', message: 'over' } });
    expect(await api.getInvite('t')).toEqual({ ok: false, failure: ApiFailure.ended });
    answer(410, { error: { code: 'invite-expired', message: 'late' } });
    expect(await api.getInvite('t')).toEqual({ ok: false, failure: ApiFailure.expired });
    answer(410, 'not json at all');
    expect(await api.getInvite('t')).toEqual({ ok: false, failure: ApiFailure.expired });
    answer(404, { error: { code: 'invite-not-found', message: 'no' } });
    expect(await api.getInvite('t')).toEqual({ ok: false, failure: ApiFailure.notFound });
  });

  it('reports an unreachable relay as a network failure', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(
      await createCustomerApi('http://relay.test').join('t', {
        acceptedPolicy: true,
        policyVersion: 'v',
        locale: 'en',
        consentText: 'I accept the privacy policy',
      }),
    ).toEqual({
      ok: false,
      failure: ApiFailure.network,
    });
  });
});
