import { describe, expect, it, vi } from 'vitest';
import { createRelayApi, RelayApiError } from './relayApi';

const session = {
  sessionId: 'sess_0000000001',
  ticketId: 1201,
  status: 'active',
  inviteUrl: 'http://localhost/join/abc',
  expiresAt: '2030-01-01T00:00:00.000Z',
  createdAt: '2029-12-31T00:00:00.000Z',
  endedAt: null,
  customerStage: 'waiting',
  customerConnected: false,
  specialistToken: 'spec-token',
  seat: { holder: 'Ada Agent', yours: true },
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('createRelayApi', () => {
  it('sends the agent token and parses the session', async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => json(201, session));
    const api = createRelayApi({ relayUrl: 'http://relay.test', agentToken: 'tok', fetch });
    await expect(api.createSession(1201)).resolves.toMatchObject({ sessionId: 'sess_0000000001' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://relay.test/api/sessions');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer tok');
    expect(JSON.parse(String(init.body))).toEqual({ ticketId: 1201 });
  });

  it('treats 404 on the ticket lookup as "no session yet"', async () => {
    const api = createRelayApi({
      relayUrl: 'http://relay.test',
      agentToken: 'tok',
      fetch: async () => json(404, { error: { code: 'not-found', message: 'none' } }),
    });
    await expect(api.ticketSession(1201)).resolves.toBeNull();
  });

  it('turns relay errors and malformed answers into RelayApiError', async () => {
    const denied = createRelayApi({
      relayUrl: 'http://relay.test',
      agentToken: 'tok',
      fetch: async () => json(401, { error: { code: 'unauthorized', message: 'expired' } }),
    });
    await expect(denied.getSession('sess_0000000001')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });

    const garbage = createRelayApi({ relayUrl: 'http://relay.test', agentToken: 'tok', fetch: async () => json(200, { nope: 1 }) });
    await expect(garbage.getSession('sess_0000000001')).rejects.toBeInstanceOf(RelayApiError);

    const offline = createRelayApi({
      relayUrl: 'http://relay.test',
      agentToken: 'tok',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(offline.endSession('sess_0000000001')).rejects.toMatchObject({ code: 'network' });
  });
});
