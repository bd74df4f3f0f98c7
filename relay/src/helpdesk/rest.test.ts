import { describe, expect, it } from 'vitest';
import { HelpdeskUnavailableError } from './types.js';
import { HelpdeskRest } from './rest.js';

/** A fetch that answers from a script, and a sleep that records instead of waiting. */
function scripted(...answers: (Response | Error)[]) {
  const calls: string[] = [];
  const waits: number[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  const rest = new HelpdeskRest('http://zendesk.test', () => 'Basic x', {
    fetch: fetchImpl,
    sleep: async (ms) => void waits.push(ms),
  });
  return { rest, calls, waits };
}

const ok = () => new Response('{}', { status: 200 });

describe('Zendesk REST calls', () => {
  it('a rate-limited read waits for Retry-After and then succeeds', async () => {
    const { rest, calls, waits } = scripted(new Response('', { status: 429, headers: { 'Retry-After': '7' } }), ok());
    expect((await rest.call('GET', '/api/v2/tickets/1.json')).status).toBe(200);
    expect(waits).toEqual([7000]);
    expect(calls).toHaveLength(2);
  });

  it('a read is retried after a 5xx or a network failure; a write only after 429 or 503', async () => {
    const read = scripted(new Response('', { status: 502 }), new TypeError('fetch failed'), ok());
    expect((await read.rest.call('GET', '/api/v2/users/1.json')).status).toBe(200);
    expect(read.calls).toHaveLength(3);

    // A 500 after a comment may mean it was stored: posting the invite again would duplicate it.
    const write = scripted(new Response('', { status: 500 }));
    expect((await write.rest.call('PUT', '/api/v2/tickets/1.json', {})).status).toBe(500);
    expect(write.calls).toHaveLength(1);
    const busy = scripted(new Response('', { status: 429, headers: { 'Retry-After': '1' } }), new Response('', { status: 503 }), ok());
    expect((await busy.rest.call('PUT', '/api/v2/tickets/1.json', {})).status).toBe(200);
  });

  it('gives up on a Retry-After longer than a caller should wait, and after the last attempt', async () => {
    const long = scripted(new Response('', { status: 429, headers: { 'Retry-After': '600' } }));
    await expect(long.rest.call('GET', '/api/v2/tickets/1.json')).rejects.toBeInstanceOf(HelpdeskUnavailableError);
    expect(long.waits).toEqual([]);
    const down = scripted(new Response('', { status: 503 }), new Response('', { status: 503 }), new Response('', { status: 503 }));
    expect((await down.rest.call('GET', '/api/v2/tickets/1.json')).status).toBe(503);
    expect(down.calls).toHaveLength(3);
  });
});
