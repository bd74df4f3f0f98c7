import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttp from 'twilio/lib/http/response.js';
import { describe, expect, it } from 'vitest';
import { TimedRequestClient } from '../media/twilio/client.js';
import { timedFetch, type CallOutcome, type ExternalCalls } from './external.js';

function recorder() {
  const seen: { seconds: number; outcome: CallOutcome }[] = [];
  const calls: ExternalCalls = { observe: (seconds, outcome) => seen.push({ seconds, outcome }) };
  return { calls, outcomes: () => seen.map((s) => s.outcome), seen };
}

describe('timedFetch', () => {
  it('records each request by how it ended and hands the answer on unchanged', async () => {
    const { calls, outcomes, seen } = recorder();
    const statuses = [200, 404, 429, 503];
    const fetchStub = (async () => new Response('x', { status: statuses.shift() ?? 200 })) as typeof fetch;
    const timed = timedFetch(calls, fetchStub);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await timed('https://zendesk.test/api/v2/x')).status);
    expect(answers).toEqual([200, 404, 429, 503]);
    await expect(timedFetch(calls, () => Promise.reject(new TypeError('fetch failed')))('https://zendesk.test')).rejects.toThrow(
      'fetch failed',
    );
    expect(outcomes()).toEqual(['ok', 'client_error', 'rate_limited', 'server_error', 'network']);
    expect(seen.every((s) => s.seconds >= 0)).toBe(true);
  });
});

describe('TimedRequestClient', () => {
  it('times every Twilio request through the inner client and records its status', async () => {
    const { calls, outcomes } = recorder();
    const inner = new (class extends twilio.RequestClient {
      override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioHttp.default<TData>> {
        const statusCode = opts.uri.endsWith('/missing') ? 404 : 201;
        return Promise.resolve({ statusCode, body: {} as TData, headers: {} } as TwilioHttp.default<TData>);
      }
    })();
    const client = new TimedRequestClient(calls, inner);
    expect((await client.request({ method: 'post', uri: 'https://video.twilio.com/v1/Rooms' })).statusCode).toBe(201);
    expect((await client.request({ method: 'get', uri: 'https://video.twilio.com/v1/Rooms/missing' })).statusCode).toBe(404);
    expect(outcomes()).toEqual(['ok', 'client_error']);
  });
});
