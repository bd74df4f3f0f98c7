import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UploadResponseSchema, type SessionView } from '@live-assist/protocol';
import { joinedCustomer, type Harness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

describe('annotations over the relay', () => {
  let h: Harness;
  let agent: string;
  withHarness((s) => ({ h, agent } = s));

  async function call(ticketId = 1) {
    const view = await h.createSession(agent, ticketId);
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);
    const desk = await h.connect(view.specialistToken);
    // Each side gets the current state right after welcome.
    await phone.next('annotation-state');
    await desk.next('annotation-state');
    return { view, customerToken: customer.participantToken, phone, desk };
  }

  function storedState(sessionId: string): { marks: { id: string; points: number[][] }[] } | null {
    const db = new Database(join(h.dataDir, 'relay.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT state_json FROM annotation_state WHERE session_id = ?').get(sessionId) as
        { state_json: string } | undefined;
      return row ? JSON.parse(row.state_json) : null;
    } finally {
      db.close();
    }
  }

  async function upload(view: SessionView, token: string, purpose: string): Promise<string> {
    const png = await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const res = await fetch(`${h.relay.url}/api/sessions/${view.sessionId}/uploads?purpose=${purpose}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(png),
    });
    expect(res.status).toBe(201);
    return UploadResponseSchema.parse(await res.json()).upload.id;
  }

  it('the customer sees a stroke grow, and a reconnecting customer gets every mark', async () => {
    const { view, customerToken, phone, desk } = await call();
    desk.send({ type: 'annotation-start', id: 'stroke-1', tool: 'freehand', color: '#ff1f1f', width: 6, points: [[0.1, 0.2]] });
    expect((await phone.next('annotation-start')).mark).toMatchObject({
      id: 'stroke-1',
      author: 'specialist',
      points: [[0.1, 0.2]],
      done: false,
    });
    desk.send({
      type: 'annotation-extend',
      id: 'stroke-1',
      points: [
        [0.15, 0.25],
        [0.2, 0.3],
      ],
    });
    expect(await phone.next('annotation-extend')).toMatchObject({
      id: 'stroke-1',
      points: [
        [0.15, 0.25],
        [0.2, 0.3],
      ],
    });
    desk.send({ type: 'annotation-finish', id: 'stroke-1' });
    await phone.next('annotation-finish');
    expect(storedState(view.sessionId)?.marks[0]).toMatchObject({
      id: 'stroke-1',
      points: [
        [0.1, 0.2],
        [0.15, 0.25],
        [0.2, 0.3],
      ],
    });

    phone.close();
    const again = await h.connect(customerToken);
    const { state } = await again.next('annotation-state');
    expect(state.marks.map((m) => [m.id, m.points.length, m.done])).toEqual([['stroke-1', 3, true]]);
    again.close();
    desk.close();
  });

  it('rejects out-of-range, NaN, oversized, unknown-tool and wrong-role frames; the session goes on', async () => {
    const { phone, desk } = await call();
    const bad: unknown[] = [
      { type: 'annotation-start', id: 'r1', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[1.2, 0.5]] },
      { type: 'annotation-start', id: 'r2', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[-0.01, 0.5]] },
      // JSON has no NaN; what a client's NaN turns into (null) is rejected, and so is a raw NaN token.
      { type: 'annotation-start', id: 'r3', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[null, 0.5]] },
      '{"type":"annotation-start","id":"r4","tool":"rectangle","color":"#ff1f1f","width":6,"points":[[NaN,0.5]]}',
      {
        type: 'annotation-start',
        id: 'r5',
        tool: 'freehand',
        color: '#ff1f1f',
        width: 6,
        points: Array.from({ length: 5001 }, () => [0, 0]),
      },
      { type: 'annotation-start', id: 'r6', tool: 'circle', color: '#ff1f1f', width: 6, points: [[0.5, 0.5]] },
    ];
    for (const frame of bad) {
      desk.send(frame);
      expect((await desk.next('error')).code).toBe('bad-frame');
    }
    // A stroke may not grow past 5,000 points over several frames either.
    desk.send({
      type: 'annotation-start',
      id: 'long',
      tool: 'freehand',
      color: '#ff1f1f',
      width: 6,
      points: Array.from({ length: 1000 }, () => [0.5, 0.5]),
    });
    await phone.next('annotation-start');
    for (let i = 0; i < 4; i += 1)
      desk.send({ type: 'annotation-extend', id: 'long', points: Array.from({ length: 1000 }, () => [0.5, 0.5]) });
    for (let i = 0; i < 4; i += 1) await phone.next('annotation-extend');
    desk.send({ type: 'annotation-extend', id: 'long', points: [[0.5, 0.5]] });
    expect((await desk.next('error')).message).toMatch(/5000 points/);

    phone.send({ type: 'annotation-start', id: 'c1', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[0.5, 0.5]] });
    expect(await phone.next('error')).toMatchObject({ code: 'forbidden' });
    phone.send({ type: 'freeze' });
    expect(await phone.next('error')).toMatchObject({ code: 'forbidden' });
    desk.send({ type: 'still-ready', requestId: 'x', uploadId: 'abcdefgh12' });
    expect(await desk.next('error')).toMatchObject({ code: 'forbidden' });

    // Both sockets are still open and work.
    desk.send({ type: 'annotation-start', id: 'ok-1', tool: 'rectangle', color: '#00e05a', width: 3, points: [[0.2, 0.2]] });
    expect((await phone.next('annotation-start')).mark.id).toBe('ok-1');
    phone.send({ type: 'pointer', point: [0.4, 0.6] });
    expect(await desk.next('pointer')).toMatchObject({ from: 'customer', point: [0.4, 0.6] });
    expect(phone.closeCode).toBeNull();
    expect(desk.closeCode).toBeNull();
    phone.close();
    desk.close();
  });

  it('undo removes the newest own mark, clear removes all; both sides are told', async () => {
    const { phone, desk } = await call();
    for (const id of ['a', 'b', 'c']) {
      desk.send({ type: 'annotation-start', id, tool: 'arrow', color: '#ffd400', width: 6, points: [[0.1, 0.1]] });
      desk.send({ type: 'annotation-extend', id, points: [[0.6, 0.4]] });
      desk.send({ type: 'annotation-finish', id });
    }
    for (let i = 0; i < 3; i += 1) await phone.next('annotation-finish');
    desk.send({ type: 'annotation-undo' });
    expect((await phone.next('annotation-remove')).ids).toEqual(['c']);
    expect((await desk.next('annotation-remove')).ids).toEqual(['c']);
    desk.send({ type: 'annotation-clear' });
    expect((await phone.next('annotation-remove')).ids).toEqual(['a', 'b']);
    phone.close();
    desk.close();
  });

  it('freeze: the customer uploads a still, both get it; marks on it go away on unfreeze; snapshots are kept', async () => {
    const { view, customerToken, phone, desk } = await call();
    desk.send({ type: 'annotation-start', id: 'live-1', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[0.1, 0.1]] });
    await phone.next('annotation-start');
    desk.send({ type: 'freeze' });
    const capturing = (await phone.next('freeze-state')).freeze!;
    expect(capturing).toMatchObject({ status: 'capturing', still: null });
    await desk.next('freeze-state');

    // Someone else's upload (or one of another purpose) is not accepted as the still.
    const photo = await upload(view, customerToken, 'photo');
    phone.send({ type: 'still-ready', requestId: capturing.id, uploadId: photo });
    expect((await phone.next('error')).code).toBe('bad-frame');

    const still = await upload(view, customerToken, 'still');
    phone.send({ type: 'still-progress', requestId: capturing.id, progress: 0.5 });
    expect((await desk.next('freeze-state')).freeze).toMatchObject({ progress: 0.5 });
    phone.send({ type: 'still-ready', requestId: capturing.id, uploadId: still });
    const ready = (await desk.next('freeze-state')).freeze!;
    expect(ready).toMatchObject({ status: 'ready', still: { id: still, width: 1920, height: 1080 } });
    expect(ready.still!.url).toContain('sig=');
    await phone.next('freeze-state'); // progress
    expect((await phone.next('freeze-state')).freeze).toEqual(ready);
    const image = await fetch(ready.still!.url);
    expect(image.status).toBe(200);

    desk.send({ type: 'annotation-start', id: 'on-still', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[0.3, 0.3]] });
    expect((await phone.next('annotation-start')).mark).toMatchObject({ id: 'on-still', stillId: capturing.id });
    // Clear while frozen only touches the still's marks.
    desk.send({ type: 'annotation-clear' });
    expect((await phone.next('annotation-remove')).ids).toEqual(['on-still']);
    desk.send({ type: 'annotation-start', id: 'on-still-2', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[0.3, 0.3]] });
    await phone.next('annotation-start');

    const snapshot = await upload(view, view.specialistToken, 'snapshot');
    desk.send({ type: 'snapshot-taken', uploadId: snapshot });
    expect((await desk.next('snapshots')).snapshots).toMatchObject([{ id: snapshot, width: 1920, height: 1080 }]);

    desk.send({ type: 'unfreeze' });
    expect((await phone.next('annotation-remove')).ids).toEqual(['on-still-2']);
    expect((await phone.next('freeze-state')).freeze).toBeNull();

    const late = await h.connect(view.specialistToken);
    const { state } = await late.next('annotation-state');
    expect(state.marks.map((m) => m.id)).toEqual(['live-1']);
    expect(state.freeze).toBeNull();
    expect(state.snapshots.map((s) => s.id)).toEqual([snapshot]);
    late.close();
    phone.close();
  });
});
