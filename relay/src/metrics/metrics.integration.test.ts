import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { joinedCustomer, startHarness, waitFor, type FakeHarness } from '../testing/harness.js';
import { metricSample as sample } from '../testing/metrics.js';

let h: FakeHarness | undefined;
afterEach(() => h?.close());

async function scrape(init?: RequestInit): Promise<string> {
  const res = await fetch(`${h!.relay.url}/metrics`, init);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics', () => {
  it('counts sessions, sockets, frames, fan-out, uploads, helpdesk calls and the outbox of a call', async () => {
    h = await startHarness({}, { writeback: { backoff: { baseMs: 20, maxMs: 100 }, settleMs: 20 } });
    const before = await scrape();
    expect(sample(before, 'relay_sessions_live')).toBe(0);
    expect(sample(before, 'relay_outbox_depth', 'state="pending"')).toBe(0);
    // Drops are reported from the start, at zero; the bus only with REDIS_URL.
    expect(sample(before, 'relay_frames_dropped_total', 'reason="socket_backlog"')).toBe(0);
    expect(sample(before, 'relay_frames_dropped_total', 'reason="bus_backlog"')).toBe(0);
    expect(sample(before, 'relay_socket_backlog_bytes')).toBe(0);
    expect(sample(before, 'relay_bus_pending_bytes')).toBeNull();

    const agent = await h.agentToken();
    const view = await h.createSession(agent);
    const { participantToken } = await joinedCustomer(h, view);
    const specialist = await h.connect(view.specialistToken);
    const customer = await h.connect(participantToken);
    specialist.send({ type: 'chat-send', clientId: 'client-msg-0001', text: 'Hello', attachments: [] });
    await customer.next('chat-message');
    const photo = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer();
    expect(
      (
        await h.api(`/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
          method: 'POST',
          bearer: participantToken,
          body: new Uint8Array(photo),
        })
      ).status,
    ).toBe(201);

    const live = await scrape();
    expect(sample(live, 'relay_sessions_live')).toBe(1);
    expect(sample(live, 'relay_sockets_open')).toBe(2);
    // Two hellos and the chat message came in; welcomes, participants and the chat went out.
    expect(sample(live, 'relay_frames_in_total')).toBeGreaterThanOrEqual(3);
    expect(sample(live, 'relay_frames_out_total')).toBeGreaterThan(sample(live, 'relay_frames_in_total')!);
    expect(sample(live, 'relay_fanout_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(live, 'relay_upload_bytes_total')).toBe(photo.length);
    expect(sample(live, 'relay_helpdesk_request_duration_seconds_count', 'outcome="ok"')).toBeGreaterThanOrEqual(1);

    // The note: a 503 (retried after looking for it), then a refusal for good.
    h.helpdesk.script('note', { status: 503 }, { status: 403, body: '{"error":"Forbidden"}' });
    expect((await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    const after = await waitFor('the note to fail', async () => {
      const text = await scrape();
      return sample(text, 'relay_outbox_failures_total') === 1 ? text : null;
    });
    expect(sample(after, 'relay_outbox_retries_total')).toBe(1);
    expect(sample(after, 'relay_helpdesk_request_errors_total', 'outcome="server_error"')).toBe(1);
    expect(sample(after, 'relay_helpdesk_request_errors_total', 'outcome="client_error"')).toBe(1);
    expect(sample(after, 'relay_outbox_depth', 'state="retrying"')).toBe(0);
    expect(sample(after, 'relay_sessions_live')).toBe(0);
    await expect.poll(async () => sample(await scrape(), 'relay_sockets_open')).toBe(0);
  });

  it('without METRICS_TOKEN answers loopback callers only, not what a local proxy forwards', async () => {
    h = await startHarness();
    await scrape();
    const proxied = await fetch(`${h.relay.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
  });

  it('with METRICS_TOKEN wants it as a bearer token', async () => {
    const token = 'metrics-token-0123456789-abcdefghij';
    h = await startHarness({ METRICS_TOKEN: token });
    expect((await fetch(`${h.relay.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.relay.url}/metrics`, { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(401);
    await scrape({ headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.9' } });
  });
});
