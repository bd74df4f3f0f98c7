import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@live-assist/protocol';
import type { AnyRoomFeature } from './feature.js';
import { Room, type RoomConnection, type RoomSocket } from './room.js';

const hello = JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
const silent: RoomSocket = { send() {}, close() {} };

/** A room whose fan-out observations the test reads; `features` as a capability would add them. */
function roomWith(features: AnyRoomFeature[] = []) {
  const fanOuts: number[] = [];
  const room = new Room({
    sessionId: 's1',
    media: { mode: 'p2p', iceServers: [] },
    exitUrl: 'https://www.wilo.com',
    specialistName: 'Ada',
    features,
    onFanOut: (ms) => fanOuts.push(ms),
  });
  const join = (role: 'customer' | 'specialist'): RoomConnection => {
    const conn = room.attach(role, `${role}-key`, silent);
    conn.receive(hello);
    return conn;
  };
  return { room, join, fanOuts };
}

describe('fan-out timing', () => {
  it('times what a frame causes for the other side, not what goes back to its sender', () => {
    const { join, fanOuts } = roomWith();
    const customer = join('customer');
    join('specialist');
    fanOuts.length = 0;
    customer.receive(JSON.stringify({ type: 'signal', signal: { kind: 'answer', sdp: 'v=0' } }));
    expect(fanOuts).toHaveLength(1);
    expect(fanOuts[0]).toBeGreaterThanOrEqual(0);
    customer.receive(JSON.stringify({ type: 'ping', t: 1 }));
    customer.receive('not json');
    expect(fanOuts).toHaveLength(1);
  });

  it("includes a feature's awaits before it forwards, and not a timer it leaves behind", async () => {
    let later: () => void = () => {};
    const timerFired = new Promise<void>((resolve) => (later = resolve));
    const feature: AnyRoomFeature = {
      frameTypes: ['chat-send'],
      async handle(_frame, _from, room) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        room.sendTo('specialist', { type: 'pong', t: 1 });
        setTimeout(() => {
          room.sendTo('specialist', { type: 'pong', t: 2 });
          later();
        }, 5);
      },
    };
    const { join, fanOuts } = roomWith([feature]);
    const customer = join('customer');
    join('specialist');
    fanOuts.length = 0;
    customer.receive(JSON.stringify({ type: 'chat-send', clientId: 'client-msg-0001', text: 'hi', attachments: [] }));
    await timerFired;
    expect(fanOuts).toHaveLength(1);
    expect(fanOuts[0]).toBeGreaterThanOrEqual(3);
  });
});
