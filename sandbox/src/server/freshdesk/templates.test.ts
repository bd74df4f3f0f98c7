import { describe, expect, it } from 'vitest';
import { CALLS_PER_MINUTE, CallBudget, templateRunner, type InvokeResult } from './templates.js';

const REQUESTS = {
  signIn: {
    schema: {
      method: 'POST',
      host: '<%= iparam.relay_host %>',
      path: '/api/tickets/<%= context.ticket_id %>/sign-in',
      query: { lang: '<%= context.lang %>', region: '<%= iparam.region %>' },
      headers: { Authorization: 'Bearer <%= iparam.app_secret %>', 'Content-Type': 'application/json' },
    },
  },
  secretInPath: { schema: { method: 'GET', host: 'relay.example.com', path: '/x/<%= iparam.app_secret %>' } },
  secretInQuery: { schema: { method: 'GET', host: 'relay.example.com', path: '/x', query: { s: '<%= iparam.app_secret %>' } } },
  contextInHeader: {
    schema: { method: 'GET', host: 'relay.example.com', path: '/x', headers: { 'X-Ticket': '<%= context.ticket_id %>' } },
  },
  contextInHost: { schema: { method: 'GET', host: '<%= context.host %>', path: '/x' } },
  schemeInHost: { schema: { method: 'GET', host: 'https://relay.example.com', path: '/x' } },
  mustache: { schema: { method: 'GET', host: 'relay.example.com', path: '/x/{{ticket}}' } },
  undeclared: { schema: { method: 'GET', host: 'relay.example.com', path: '/x' } },
};

const installation = {
  iparams: { relay_host: 'relay.example.com', region: 'eu', app_secret: 's'.repeat(40) },
  secure: new Set(['app_secret']),
};

function runner(opts: { now?: () => number } = {}) {
  const seen: { url: string; init: RequestInit }[] = [];
  const r = templateRunner({
    requests: REQUESTS,
    declared: Object.keys(REQUESTS).filter((n) => n !== 'undeclared'),
    installation,
    origins: new Map([['relay.example.com', 'http://127.0.0.1:9']]),
    budget: new CallBudget(opts.now ?? Date.now),
    fetch: (url, init) => {
      seen.push({ url: String(url), init: init ?? {} });
      return Promise.resolve(new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }));
    },
  });
  return { r, seen };
}

const why = (result: InvokeResult): string => (JSON.parse(result.response) as { message: string }).message;
const refusal = (result: InvokeResult) => ({ status: result.status, source: result.errorSource, message: why(result) });

describe('invokeTemplate substitution', () => {
  it('fills iparams and context where documented, adds the secure iparam as a header, sends the string body', async () => {
    const { r, seen } = runner();
    const out = await r.invoke('signIn', { context: { ticket_id: 1201, lang: 'de' }, body: '{"a":1}' });
    expect(out).toEqual({ ok: true, result: { status: 200, headers: { 'content-type': 'application/json' }, response: '{"ok":true}' } });
    expect(seen[0]!.url).toBe('http://127.0.0.1:9/api/tickets/1201/sign-in?lang=de&region=eu');
    expect(seen[0]!.init).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { Authorization: `Bearer ${'s'.repeat(40)}` } });
  });

  it('sends a host without a mapping to https://host', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const r = templateRunner({
      requests: REQUESTS,
      declared: ['undeclared'],
      installation,
      fetch: (url) => {
        seen.push({ url: String(url), init: {} });
        return Promise.resolve(new Response('', { status: 204 }));
      },
    });
    await r.invoke('undeclared', {});
    expect(seen[0]!.url).toBe('https://relay.example.com/x');
  });

  it.each([
    ['secretInPath', /secure iparam "app_secret" can only be used in headers/],
    ['secretInQuery', /secure iparam "app_secret" can only be used in headers/],
    ['contextInHeader', /context from the frontend is allowed only in path and query/],
    ['contextInHost', /context from the frontend is allowed only in path and query/],
    ['schemeInHost', /not a bare host name/],
    ['mustache', /only <%= iparam.x %> and <%= context.x %>/],
    ['undeclared', /not declared in the manifest/],
  ])('refuses %s as the platform does, without sending it', async (name, message) => {
    const { r, seen } = runner();
    const out = await r.invoke(name, { context: { ticket_id: '1', host: 'relay.example.com' } });
    expect(out.ok).toBe(false);
    expect(refusal(out.result)).toMatchObject({ status: 400, source: 'PLATFORM', message: expect.stringMatching(message) as unknown });
    expect(seen).toHaveLength(0);
  });

  it('refuses a missing context value, one that would change the path, and a body that is not a string', async () => {
    const { r, seen } = runner();
    expect(why((await r.invoke('signIn', { context: { lang: 'de' } })).result)).toMatch(/context "ticket_id" was not given/);
    expect(why((await r.invoke('signIn', { context: { ticket_id: '../admin', lang: 'de' } })).result)).toMatch(/may not contain/);
    expect(why((await r.invoke('signIn', { context: { ticket_id: 1, lang: 'de' }, body: { a: 1 } })).result)).toMatch(
      /Invalid invokeTemplate options/,
    );
    expect(seen).toHaveLength(0);
  });

  it('rejects with errorSource APP when the host answers an error', async () => {
    const r = templateRunner({
      requests: REQUESTS,
      declared: ['undeclared'],
      installation,
      fetch: () => Promise.resolve(new Response('{"error":"nope"}', { status: 403 })),
    });
    expect(await r.invoke('undeclared', {})).toMatchObject({
      ok: false,
      result: { status: 403, response: '{"error":"nope"}', errorSource: 'APP' },
    });
  });
});

describe('the 50 calls a minute per account', () => {
  it('refuses the 51st call within a minute with 429 from the platform, and serves again a minute after the first', async () => {
    let now = 1_000_000;
    const { r, seen } = runner({ now: () => now });
    for (let i = 0; i < CALLS_PER_MINUTE; i += 1) {
      expect((await r.invoke('signIn', { context: { ticket_id: i, lang: 'en' } })).ok).toBe(true);
      now += 100;
    }
    const over = await r.invoke('signIn', { context: { ticket_id: 1, lang: 'en' } });
    expect(over).toMatchObject({ ok: false, result: { status: 429, errorSource: 'PLATFORM' } });
    expect(seen).toHaveLength(CALLS_PER_MINUTE);
    now = 1_000_000 + 60_000;
    expect((await r.invoke('signIn', { context: { ticket_id: 1, lang: 'en' } })).ok).toBe(true);
  });
});
