import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, MAX_EXTEND_POINTS, MAX_MARK_POINTS } from '@live-assist/protocol';
import { joinedCustomer, startHarness, waitFor, type FakeHarness } from '../testing/harness.js';
import { metricSample as sample } from '../testing/metrics.js';
import type { TestSocket } from '../testing/ws-client.js';
import { DEFAULT_SEND_BACKLOG } from './backlog.js';

let h: FakeHarness;
beforeAll(async () => {
  // A phone that does not read cannot answer the heartbeat's pings either: the heartbeat must not
  // be what closes it here.
  h = await startHarness({}, { heartbeatMs: 600_000 });
});
afterAll(() => h.close());

async function scrape(): Promise<string> {
  const res = await fetch(`${h.relay.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}
const backlogBytes = async () => sample(await scrape(), 'relay_socket_backlog_bytes') ?? 0;
const droppedToSockets = async () => sample(await scrape(), 'relay_frames_dropped_total', 'reason="socket_backlog"');

/** Fractions with all their digits, so a point is ~40 bytes of JSON. */
const point = (i: number): [number, number] => [(i % 99_991) / 99_991, ((i * 7) % 99_989) / 99_989];

/**
 * Freehand marks of 5,000 points each: about 1 MB of `annotation-state`, which is what every
 * `annotation-sync` the phone asks for then adds to what the relay must send it.
 */
async function drawMarks(desk: TestSocket, marks: number): Promise<void> {
  let n = 0;
  const points = () => Array.from({ length: MAX_EXTEND_POINTS }, () => point(n++));
  for (let m = 0; m < marks; m++) {
    const id = `stroke-${m}`;
    desk.send({ type: 'annotation-start', id, tool: 'freehand', color: '#ff1f1f', width: 6, points: points() });
    for (let e = MAX_EXTEND_POINTS; e < MAX_MARK_POINTS; e += MAX_EXTEND_POINTS)
      desk.send({ type: 'annotation-extend', id, points: points() });
    desk.send({ type: 'annotation-finish', id });
  }
  // Frames are handled in order: the pong says every mark is in the room's state.
  desk.send({ type: 'ping', t: 7 });
  await desk.next('pong');
}

describe("a socket's send backlog", () => {
  it('a phone that stops reading: positions to it are dropped and counted, chat still reaches it in order, and past 8 MiB it is told to reconnect (1013)', async () => {
    const view = await h.createSession(await h.agentToken());
    const customer = await joinedCustomer(h, view);
    const desk = await h.connect(view.specialistToken);
    const phone = await h.connect(customer.participantToken);
    desk.send({ type: 'pointer', point: [0.1, 0.1] });
    expect((await phone.next('pointer')).point).toEqual([0.1, 0.1]);

    // A stalled tab: what the relay sends it piles up, in the kernel's buffers first, then the relay's.
    phone.ws.pause();
    await drawMarks(desk, 5);
    await waitFor('the phone to be 1 MiB behind', async () => {
      phone.send({ type: 'annotation-sync' });
      return (await backlogBytes()) > DEFAULT_SEND_BACKLOG.dropAboveBytes;
    });

    const droppedBefore = (await droppedToSockets()) ?? 0;
    for (let line = 1; line <= 3; line++) {
      for (let i = 0; i < 10; i++) desk.send({ type: 'pointer', point: [i / 10, line / 10] });
      desk.send({ type: 'chat-send', clientId: `desk-line-${line}`, text: `Line ${line}` });
    }
    // The desk hears each line once it is stored, after the positions sent before it went out.
    for (let line = 1; line <= 3; line++) expect((await desk.next('chat-message')).message.text).toBe(`Line ${line}`);
    expect(await droppedToSockets()).toBe(droppedBefore + 30);

    // Only frames that are never dropped are left to fill it: the relay holds at most 8 MiB and the
    // frame that crossed it, then closes the socket.
    let most = 0;
    await waitFor('the relay to close the phone', async () => {
      phone.send({ type: 'annotation-sync' });
      const metrics = await scrape();
      most = Math.max(most, sample(metrics, 'relay_socket_backlog_bytes') ?? 0);
      return sample(metrics, 'relay_sockets_too_far_behind_total') === 1;
    });

    phone.ws.resume();
    expect(await phone.closed()).toBe(CloseCode.tooFarBehind);
    // It read everything sent before the close: the three lines in order, none of the 30 positions.
    expect(phone.frames.filter((f) => f.type === 'chat-message').map((f) => f.message.text)).toEqual(['Line 1', 'Line 2', 'Line 3']);
    expect(phone.frames.some((f) => f.type === 'pointer')).toBe(false);
    const state = phone.frames.filter((f) => f.type === 'annotation-state').at(-1);
    const stateBytes = Buffer.byteLength(JSON.stringify(state));
    expect(stateBytes).toBeGreaterThan(1_000_000);
    expect(most).toBeGreaterThan(DEFAULT_SEND_BACKLOG.closeAboveBytes);
    expect(most).toBeLessThanOrEqual(DEFAULT_SEND_BACKLOG.closeAboveBytes + stateBytes);
    await expect.poll(backlogBytes).toBe(0);

    // The desk, reading all along, lost nothing and is still in the call.
    desk.send({ type: 'ping', t: 8 });
    expect((await desk.next('pong')).t).toBe(8);
    desk.close();
  });
});
