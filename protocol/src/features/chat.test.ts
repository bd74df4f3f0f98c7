import { describe, expect, it } from 'vitest';
import { ClientToRelaySchema, RelayToClientSchema } from '../messages.js';
import { MAX_CHAT_TEXT } from './chat.js';

const send = (over: Record<string, unknown>) =>
  ClientToRelaySchema.safeParse({ type: 'chat-send', clientId: 'client-0001', text: 'hi', ...over });

describe('chat frames', () => {
  it('take text up to 2,000 characters and no more', () => {
    expect(MAX_CHAT_TEXT).toBe(2000);
    expect(send({ text: 'x'.repeat(2000) }).success).toBe(true);
    expect(send({ text: 'x'.repeat(2001) }).success).toBe(false);
  });

  it('need text or a photo', () => {
    expect(send({ text: ' \n ' }).success).toBe(false);
    expect(send({ text: '', attachments: ['upload-0001'] }).success).toBe(true);
  });

  it('limit photos per message and check ids', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'].map((c) => `upload-000${c}`);
    expect(send({ attachments: ids.slice(0, 4) }).success).toBe(true);
    expect(send({ attachments: ids }).success).toBe(false);
    expect(send({ attachments: ['../../etc/passwd'] }).success).toBe(false);
    expect(send({ clientId: 'short' }).success).toBe(false);
    expect(send({ replyTo: 'not an id!' }).success).toBe(false);
  });

  it('sync needs a non-negative integer seq', () => {
    expect(ClientToRelaySchema.safeParse({ type: 'chat-sync', afterSeq: 0 }).success).toBe(true);
    expect(ClientToRelaySchema.safeParse({ type: 'chat-sync', afterSeq: -1 }).success).toBe(false);
    expect(ClientToRelaySchema.safeParse({ type: 'chat-sync', afterSeq: 1.5 }).success).toBe(false);
  });

  it('relay messages carry seq, sender and quote', () => {
    const message = {
      id: 'message-01',
      seq: 1,
      clientId: 'client-0001',
      from: 'customer',
      senderName: '',
      text: 'hi',
      replyTo: { id: 'message-00', seq: 1, from: 'specialist', text: 'hello', photos: 0 },
      attachments: [],
      sentAt: new Date().toISOString(),
    };
    expect(RelayToClientSchema.safeParse({ type: 'chat-message', message }).success).toBe(true);
    expect(RelayToClientSchema.safeParse({ type: 'chat-message', message: { ...message, seq: 0 } }).success).toBe(false);
  });
});
