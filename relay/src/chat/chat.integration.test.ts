import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UploadResponseSchema, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { joinedCustomer, type Harness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';
import type { TestSocket } from '../testing/ws-client.js';

describe('chat over the relay', () => {
  let h: Harness;
  let agent: string;
  withHarness((s) => ({ h, agent } = s));

  async function call(ticketId = 1): Promise<{ view: SessionView; customer: JoinResponse; phone: TestSocket; desk: TestSocket }> {
    const view = await h.createSession(agent, ticketId);
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);
    const desk = await h.connect(view.specialistToken);
    return { view, customer, phone, desk };
  }

  function storedTexts(sessionId: string): string[] {
    const db = new Database(join(h.dataDir, 'relay.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT text FROM chat_messages WHERE session_id = ? ORDER BY seq').all(sessionId) as { text: string }[]).map(
        (r) => r.text,
      );
    } finally {
      db.close();
    }
  }

  it('stores a message, numbers it, and shows it to both sides with time and sender', async () => {
    const { view, phone, desk } = await call();
    phone.send({ type: 'chat-send', clientId: 'phone-msg-1', text: 'The pump makes a clicking noise' });
    const atDesk = await desk.next('chat-message');
    // By the time the specialist sees it, it is in the database.
    expect(storedTexts(view.sessionId)).toEqual(['The pump makes a clicking noise']);
    expect(atDesk.message).toMatchObject({ seq: 1, from: 'customer', clientId: 'phone-msg-1', replyTo: null, attachments: [] });
    expect(Date.parse(atDesk.message.sentAt)).toBeGreaterThan(Date.now() - 60_000);
    const ack = await phone.next('chat-message');
    expect(ack.message.id).toBe(atDesk.message.id);

    desk.send({ type: 'chat-send', clientId: 'desk-msg-1', text: 'Which pump model?', replyTo: atDesk.message.id });
    const reply = (await phone.next('chat-message')).message;
    expect(reply).toMatchObject({
      seq: 2,
      from: 'specialist',
      senderName: 'Ada Agent',
      replyTo: { id: atDesk.message.id, seq: 1, from: 'customer', text: 'The pump makes a clicking noise', photos: 0 },
    });
    phone.close();
    desk.close();
  });

  it('a resend with the same client id is stored once and shown to the other side once', async () => {
    const { view, phone, desk } = await call();
    const frame = { type: 'chat-send', clientId: 'phone-resend-1', text: 'Are you there?' };
    phone.send(frame);
    phone.send(frame);
    const first = (await phone.next('chat-message')).message;
    const second = (await phone.next('chat-message')).message;
    expect(second).toEqual(first);
    phone.send({ type: 'chat-send', clientId: 'phone-resend-2', text: 'Hello?' });
    expect((await desk.next('chat-message')).message.seq).toBe(1);
    expect((await desk.next('chat-message')).message).toMatchObject({ seq: 2, text: 'Hello?' });
    expect(storedTexts(view.sessionId)).toEqual(['Are you there?', 'Hello?']);
    phone.close();
    desk.close();
  });

  it('replays what a participant missed after reconnecting, from its last seen seq, in order', async () => {
    const { view, phone, desk } = await call();
    phone.send({ type: 'chat-send', clientId: 'replay-0001', text: 'one' });
    expect((await desk.next('chat-message')).message.seq).toBe(1);
    desk.close();
    await desk.closed();
    phone.send({ type: 'chat-send', clientId: 'replay-0002', text: 'two' });
    phone.send({ type: 'chat-send', clientId: 'replay-0003', text: 'three' });
    await phone.next('chat-message');
    await phone.next('chat-message');
    await phone.next('chat-message');

    const back = await h.connect(view.specialistToken!);
    back.send({ type: 'chat-sync', afterSeq: 1 });
    const history = await back.next('chat-history');
    expect(history.more).toBe(false);
    expect(history.messages.map((m) => [m.seq, m.text])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    back.send({ type: 'chat-sync', afterSeq: 0 });
    expect((await back.next('chat-history')).messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);
    phone.close();
    back.close();
  });

  it('sends photos as signed attachments; refuses foreign photos, unknown reply targets and long text', async () => {
    const { customer, view, phone, desk } = await call();
    const jpeg = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#556677' } })
      .jpeg()
      .toBuffer();
    const res = await fetch(`${h.relay.url}/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${customer.participantToken}` },
      body: new Uint8Array(jpeg),
    });
    const { upload } = UploadResponseSchema.parse(await res.json());
    phone.send({ type: 'chat-send', clientId: 'photo-msg-1', text: '', attachments: [upload.id] });
    const shown = (await desk.next('chat-message')).message;
    expect(shown.attachments).toMatchObject([{ id: upload.id, width: 900, height: 600 }]);
    const thumb = await fetch(shown.attachments[0]!.previewUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');

    desk.send({ type: 'chat-send', clientId: 'quote-photo', text: 'I see it', replyTo: shown.id });
    expect((await phone.next('chat-message')).message).toMatchObject({ seq: 1 });
    expect((await phone.next('chat-message')).message.replyTo).toMatchObject({ id: shown.id, photos: 1 });

    const other = await call(2);
    other.phone.send({ type: 'chat-send', clientId: 'steal-photo', text: 'x', attachments: [upload.id] });
    expect(await other.phone.next('chat-rejected')).toMatchObject({ clientId: 'steal-photo', reason: 'bad-attachment' });
    other.phone.send({ type: 'chat-send', clientId: 'bad-reply-1', text: 'x', replyTo: shown.id });
    expect(await other.phone.next('chat-rejected')).toMatchObject({ clientId: 'bad-reply-1', reason: 'bad-reply' });
    other.phone.send({ type: 'chat-send', clientId: 'too-long-1', text: 'x'.repeat(2001) });
    expect(await other.phone.next('error')).toMatchObject({ code: 'bad-frame' });
    other.phone.send({ type: 'chat-send', clientId: 'blank-1', text: '   ' });
    expect((await other.phone.next('error')).message).toContain('a message needs text or a photo');
    other.phone.send({ type: 'chat-send', clientId: 'max-len-1', text: 'y'.repeat(2000) });
    expect((await other.desk.next('chat-message')).message.text).toHaveLength(2000);
    for (const s of [phone, desk, other.phone, other.desk]) s.close();
  });
});
