import { describe, expect, it } from 'vitest';
import { isDroppable } from './droppable.js';
import { ClientToRelaySchema, RelayToClientSchema, type ClientToRelay, type RelayToClient } from './messages.js';

const relayFrame = (frame: unknown): RelayToClient => RelayToClientSchema.parse(frame);
const clientFrame = (frame: unknown): ClientToRelay => ClientToRelaySchema.parse(frame);

describe('frames the relay may drop under load', () => {
  it('are the ones a newer frame replaces: a pointer position, a still upload figure', () => {
    expect(isDroppable(relayFrame({ type: 'pointer', from: 'specialist', point: [0.5, 0.5] }))).toBe(true);
    expect(isDroppable(clientFrame({ type: 'pointer', point: [0.1, 0.9] }))).toBe(true);
    expect(isDroppable(relayFrame({ type: 'still-progress', requestId: 'still-1', progress: 0.4 }))).toBe(true);
  });

  it('never the rest: a hidden pointer, chat, marks, freeze, signaling, session end', () => {
    const kept: RelayToClient[] = [
      relayFrame({ type: 'pointer', from: 'customer', point: null }),
      relayFrame({
        type: 'chat-message',
        message: {
          id: 'message-0001',
          seq: 1,
          clientId: 'client-0001',
          from: 'customer',
          senderName: 'Carla',
          text: 'hi',
          replyTo: null,
          attachments: [],
          sentAt: '2025-01-01T00:00:00.000Z',
        },
      }),
      relayFrame({ type: 'annotation-extend', id: 'mark-1', points: [[0.2, 0.2]], version: 1 }),
      relayFrame({ type: 'annotation-finish', id: 'mark-1' }),
      relayFrame({ type: 'freeze-state', freeze: null }),
      relayFrame({ type: 'signal', from: 'customer', fromConnectionId: 'c-1', signal: { kind: 'offer', sdp: 'v=0' } }),
      relayFrame({ type: 'session-ended', reason: 'ended-by-specialist' }),
      relayFrame({ type: 'pong', t: 1 }),
    ];
    for (const frame of kept) expect(isDroppable(frame), frame.type).toBe(false);
    expect(isDroppable(clientFrame({ type: 'chat-send', clientId: 'client-0001', text: 'hi' }))).toBe(false);
  });
});
