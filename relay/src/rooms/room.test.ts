import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, RelayToClientSchema, type RelayToClient } from '@live-assist/protocol';
import { Room, type ObserverEvent, type RoomConnection, type RoomSocket } from './room.js';

class FakeSocket implements RoomSocket {
  readonly frames: RelayToClient[] = [];
  closedWith: { code: number; reason: string } | null = null;
  send(text: string): void {
    if (this.closedWith) throw new Error('send after close');
    this.frames.push(RelayToClientSchema.parse(JSON.parse(text)));
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  last(): RelayToClient | undefined {
    return this.frames.at(-1);
  }
  ofType<T extends RelayToClient['type']>(type: T): Extract<RelayToClient, { type: T }>[] {
    return this.frames.filter((f): f is Extract<RelayToClient, { type: T }> => f.type === type);
  }
}

function makeRoom(onObserver?: (event: ObserverEvent, name: string) => void): Room {
  let n = 0;
  return new Room({
    ...(onObserver ? { onObserver: (event: ObserverEvent, o: { displayName: string }) => onObserver(event, o.displayName) } : {}),
    sessionId: 'session-123',
    media: { mode: 'p2p', iceServers: [{ urls: 'stun:stun.example.com' }] },
    exitUrl: 'https://www.wilo.com',
    specialistName: 'Ada Agent',
    newConnectionId: () => `c${++n}`,
  });
}

const hello = JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION });

function join(room: Room, role: 'customer' | 'specialist', key = `${role}-key`): { socket: FakeSocket; conn: RoomConnection } {
  const socket = new FakeSocket();
  const conn = room.attach(role, key, socket);
  conn.receive(hello);
  return { socket, conn };
}

describe('Room', () => {
  it('an observer: welcomed as watching, told the state of the call, a reload is no leave and join, the end is a leave', () => {
    const events: string[] = [];
    const room = makeRoom((event, name) => events.push(`${event} ${name}`));
    const customer = join(room, 'customer');
    const thomas = { id: 'o1', agentId: '44', displayName: 'Thomas Berg' };
    const first = new FakeSocket();
    room.attach('specialist', 'observer-key', first, thomas).receive(hello);
    expect(first.frames[0]).toMatchObject({ type: 'welcome', role: 'specialist', observer: true });
    expect(customer.socket.last()).toEqual({ type: 'observers', observers: [{ id: 'o1', displayName: 'Thomas Berg' }] });
    // The specialist's seat is untouched: the specialist joining later is told about the observer too.
    const specialist = join(room, 'specialist');
    expect(specialist.socket.ofType('observers').at(-1)?.observers).toHaveLength(1);
    expect(first.ofType('participant').at(-1)).toMatchObject({ participant: { role: 'specialist', connected: true } });

    const reloaded = new FakeSocket();
    room.attach('specialist', 'observer-key', reloaded, thomas).receive(hello);
    expect(first.closedWith?.code).toBe(4409);
    expect(specialist.socket.closedWith).toBeNull();
    expect(events).toEqual(['joined Thomas Berg']);

    room.end('ended-by-specialist');
    expect(reloaded.ofType('session-ended')).toEqual([{ type: 'session-ended', reason: 'ended-by-specialist' }]);
    expect(reloaded.closedWith?.code).toBe(4410);
    expect(events).toEqual(['joined Thomas Berg', 'left Thomas Berg']);
  });

  it('P2P watching: the observer’s request and answers reach the specialist named by the observer; the offer reaches that observer only', () => {
    const room = makeRoom();
    const customer = join(room, 'customer');
    const specialist = join(room, 'specialist');
    const thomas = new FakeSocket();
    const anna = new FakeSocket();
    const thomasConn = room.attach('specialist', 'thomas-key', thomas, { id: 'o1', agentId: '44', displayName: 'Thomas Berg' });
    thomasConn.receive(hello);
    room.attach('specialist', 'anna-key', anna, { id: 'o2', agentId: '45', displayName: 'Anna Weber' }).receive(hello);

    // An observer cannot pose as another: the relay names the sender.
    thomasConn.receive(JSON.stringify({ type: 'watch-request' }));
    expect(specialist.socket.last()).toEqual({ type: 'watch-request', observerId: 'o1' });
    // Back on a new socket with the connection of offer 3 still up: the specialist is told which.
    thomasConn.receive(JSON.stringify({ type: 'watch-request', offerId: 3 }));
    expect(specialist.socket.last()).toEqual({ type: 'watch-request', observerId: 'o1', offerId: 3 });
    const offer = { kind: 'offer', sdp: 'v=0 offer' };
    specialist.conn.receive(JSON.stringify({ type: 'watch-signal', observerId: 'o1', offerId: 1, signal: offer }));
    expect(thomas.last()).toEqual({ type: 'watch-signal', observerId: 'o1', offerId: 1, signal: offer });
    expect(anna.ofType('watch-signal')).toEqual([]);
    thomasConn.receive(
      JSON.stringify({ type: 'watch-signal', observerId: 'o2', offerId: 1, signal: { kind: 'answer', sdp: 'v=0 answer' } }),
    );
    expect(specialist.socket.last()).toEqual({
      type: 'watch-signal',
      observerId: 'o1',
      offerId: 1,
      signal: { kind: 'answer', sdp: 'v=0 answer' },
    });

    // Nobody else takes part: the customer may neither ask nor offer, and sees none of it.
    customer.conn.receive(JSON.stringify({ type: 'watch-request' }));
    customer.conn.receive(JSON.stringify({ type: 'watch-signal', observerId: 'o1', offerId: 2, signal: offer }));
    expect(customer.socket.ofType('error').map((e) => e.code)).toEqual(['forbidden', 'forbidden']);
    expect(customer.socket.ofType('watch-signal')).toEqual([]);
    expect(thomas.ofType('watch-signal')).toHaveLength(1);
    // An offer to an observer who is not there is answered with no-peer.
    specialist.conn.receive(JSON.stringify({ type: 'watch-signal', observerId: 'o9', offerId: 1, signal: offer }));
    expect(specialist.socket.last()).toMatchObject({ type: 'error', code: 'no-peer' });
  });

  it("the specialist's offer made ahead reaches the next customer right behind its welcome, once, and the specialist hears so before it hears of them", () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    specialist.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-1', sdp: 'v=0 ahead' }));
    const customer = join(room, 'customer');
    expect(customer.socket.frames.slice(0, 2)).toEqual([
      expect.objectContaining({ type: 'welcome', connectionId: 'c2' }),
      { type: 'signal', from: 'specialist', fromConnectionId: 'c1', signal: { kind: 'offer', sdp: 'v=0 ahead' } },
    ]);
    const told = specialist.socket.frames.filter((f) => f.type === 'offer-ahead-taken' || f.type === 'participant');
    expect(told[0]).toEqual({ type: 'offer-ahead-taken', id: 'offer-1', by: 'c2' });
    expect(told[1]).toMatchObject({ type: 'participant', participant: { role: 'customer', connectionId: 'c2' } });
    // Used once: the customer's next connection (a reload) gets no offer but the specialist's own.
    const again = join(room, 'customer');
    expect(again.socket.ofType('signal')).toEqual([]);
  });

  it('an offer made ahead is not kept while a customer is connected, nor past its connection, nor from the customer', () => {
    const room = makeRoom();
    const customer = join(room, 'customer');
    const specialist = join(room, 'specialist');
    // A customer is here: the specialist offers to them itself; nothing is kept for later.
    specialist.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-1', sdp: 'v=0 ahead' }));
    customer.conn.closed();
    expect(join(room, 'customer').socket.ofType('signal')).toEqual([]);

    // Kept for the connection that made it: the specialist's next connection has another pair.
    const room2 = makeRoom();
    const first = join(room2, 'specialist');
    first.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-1', sdp: 'v=0 ahead' }));
    join(room2, 'specialist');
    expect(join(room2, 'customer').socket.ofType('signal')).toEqual([]);

    // Not for the page the specialist keeps a pair with: back on a new socket, it gets nothing.
    const room4 = makeRoom();
    const s4 = join(room4, 'specialist');
    s4.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-1', sdp: 'v=0 ahead', notFor: 'page-a' }));
    const back = new FakeSocket();
    room4
      .attach('customer', 'customer-key', back)
      .receive(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: 'page-a' }));
    expect(back.ofType('signal')).toEqual([]);
    expect(s4.socket.ofType('offer-ahead-taken')).toEqual([]);

    // Taken back: nothing for the customer.
    const room3 = makeRoom();
    const s3 = join(room3, 'specialist');
    s3.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-1', sdp: 'v=0 ahead' }));
    s3.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-1', sdp: null }));
    const c3 = join(room3, 'customer');
    expect(c3.socket.ofType('signal')).toEqual([]);
    // The customer has no offer to make ahead.
    c3.conn.receive(JSON.stringify({ type: 'offer-ahead', id: 'offer-9', sdp: 'v=0' }));
    expect(c3.socket.last()).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('welcomes with role, connection id, media and both participants', () => {
    const room = makeRoom();
    const { socket } = join(room, 'specialist');
    expect(socket.frames[0]).toEqual({
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      sessionId: 'session-123',
      role: 'specialist',
      connectionId: 'c1',
      media: { mode: 'p2p', iceServers: [{ urls: 'stun:stun.example.com' }] },
      participants: [
        { role: 'specialist', connectionId: 'c1', connected: true, displayName: 'Ada Agent', media: { camera: false, microphone: false } },
        {
          role: 'customer',
          connectionId: null,
          connected: false,
          displayName: 'Customer',
          media: { camera: false, microphone: false },
          stage: 'waiting',
        },
      ],
    });
  });

  it('names the page behind each seat (hello instanceId) in the welcome and to the other side, and forgets it when it goes', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const customer = new FakeSocket();
    const customerConn = room.attach('customer', 'customer-key', customer);
    customerConn.receive(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: 'phone-page-1' }));
    expect(customer.ofType('welcome')[0]?.participants).toMatchObject([
      { role: 'specialist', connectionId: 'c1' },
      { role: 'customer', connectionId: 'c2', instanceId: 'phone-page-1' },
    ]);
    // A client that sends none (an older one) has none: the other side treats each socket as a new page.
    expect(specialist.socket.ofType('welcome')[0]?.participants[0]).not.toHaveProperty('instanceId');
    expect(specialist.socket.last()).toMatchObject({
      type: 'participant',
      participant: { role: 'customer', connectionId: 'c2', instanceId: 'phone-page-1' },
    });
    customerConn.closed();
    const gone = specialist.socket.ofType('participant').at(-1)?.participant;
    expect(gone).toMatchObject({ connected: false, connectionId: null });
    expect(gone).not.toHaveProperty('instanceId');
  });

  it('the same page back on a new socket keeps its camera state; another page starts with nothing on', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const helloAs = (instanceId: string) => JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId });
    const first = room.attach('customer', 'customer-key', new FakeSocket());
    first.receive(helloAs('phone-page-1'));
    first.receive(JSON.stringify({ type: 'media-state', media: { camera: true, microphone: true } }));
    first.closed();

    // Its picture never stopped (P2P): the console must not show "camera off" until the page repeats it.
    room.attach('customer', 'customer-key', new FakeSocket()).receive(helloAs('phone-page-1'));
    expect(specialist.socket.last()).toMatchObject({
      type: 'participant',
      participant: { role: 'customer', connectionId: 'c3', instanceId: 'phone-page-1', media: { camera: true, microphone: true } },
    });

    room.attach('customer', 'customer-key', new FakeSocket()).receive(helloAs('phone-page-2'));
    expect(specialist.socket.last()).toMatchObject({
      type: 'participant',
      participant: { role: 'customer', connectionId: 'c4', instanceId: 'phone-page-2', media: { camera: false, microphone: false } },
    });
  });

  it('refuses a hello whose instanceId is not a plain token', () => {
    const room = makeRoom();
    const socket = new FakeSocket();
    const conn = room.attach('customer', 'customer-key', socket);
    conn.receive(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: '<script>' }));
    expect(socket.last()).toMatchObject({ type: 'error', code: 'bad-frame' });
    expect(conn.settled()).toBe(false);
  });

  it('tells the other side about connects and disconnects, and tracks customer presence', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const customer = join(room, 'customer');
    expect(specialist.socket.last()).toMatchObject({
      type: 'participant',
      participant: { role: 'customer', connected: true, connectionId: 'c2' },
    });
    expect(room.customerPresence()).toEqual({ connected: true, participantKey: 'customer-key', stage: 'waiting' });
    customer.conn.closed();
    expect(specialist.socket.last()).toMatchObject({
      type: 'participant',
      participant: { role: 'customer', connected: false, connectionId: null },
    });
    expect(room.customerPresence().connected).toBe(false);
  });

  it('forwards signals to the peer with the sender connection id', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const customer = join(room, 'customer');
    specialist.conn.receive(JSON.stringify({ type: 'signal', signal: { kind: 'offer', sdp: 'v=0' } }));
    expect(customer.socket.last()).toEqual({
      type: 'signal',
      from: 'specialist',
      fromConnectionId: 'c1',
      signal: { kind: 'offer', sdp: 'v=0' },
    });
    customer.conn.receive(JSON.stringify({ type: 'signal', signal: { kind: 'ice', candidate: { candidate: 'candidate:1' } } }));
    expect(specialist.socket.last()).toMatchObject({ type: 'signal', from: 'customer', fromConnectionId: 'c2' });
  });

  it('media-state and stage updates reach both sides; only the customer may report stages', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const customer = join(room, 'customer');
    customer.conn.receive(JSON.stringify({ type: 'media-state', media: { camera: true, microphone: false } }));
    for (const s of [specialist.socket, customer.socket]) {
      expect(s.last()).toMatchObject({
        type: 'participant',
        participant: { role: 'customer', media: { camera: true, microphone: false } },
      });
    }
    customer.conn.receive(JSON.stringify({ type: 'stage', stage: 'permissions', detail: 'media-error:denied' }));
    expect(specialist.socket.last()).toMatchObject({ participant: { stage: 'permissions', stageDetail: 'media-error:denied' } });
    specialist.conn.receive(JSON.stringify({ type: 'stage', stage: 'left' }));
    expect(specialist.socket.last()).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(room.customerPresence().stage).toBe('permissions');
  });

  it('link-opened does not move a customer backwards', () => {
    const room = makeRoom();
    room.noteLinkOpened();
    expect(room.customerPresence().stage).toBe('opened-link');
    room.setCustomerStage('in-call');
    room.noteLinkOpened();
    expect(room.customerPresence().stage).toBe('in-call');
    room.setCustomerStage('left');
    room.noteLinkOpened();
    expect(room.customerPresence().stage).toBe('opened-link');
  });

  it('requires hello first and refuses other protocol versions with 4400', () => {
    const room = makeRoom();
    const socket = new FakeSocket();
    const conn = room.attach('customer', 'k', socket);
    conn.receive(JSON.stringify({ type: 'ping', t: 1 }));
    expect(socket.last()).toMatchObject({ type: 'error', code: 'hello-required' });
    conn.receive(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 }));
    expect(socket.last()).toMatchObject({ type: 'error', code: 'unsupported-version' });
    expect(socket.closedWith?.code).toBe(4400);
    expect(room.customerPresence().connected).toBe(false);
  });

  it('answers bad frames with errors, resets the count on a good frame, and closes after 20 in a row', () => {
    const room = makeRoom();
    const { socket, conn } = join(room, 'specialist');
    for (let i = 0; i < 19; i++) conn.receive('{');
    conn.receive(JSON.stringify({ type: 'ping', t: 5 }));
    expect(socket.last()).toEqual({ type: 'pong', t: 5 });
    for (let i = 0; i < 19; i++) conn.receive(JSON.stringify({ type: 'nope' }));
    expect(socket.closedWith).toBeNull();
    conn.receiveBinary();
    expect(socket.closedWith?.code).toBe(4429);
    expect(socket.ofType('error').every((e) => e.code === 'bad-frame')).toBe(true);
  });

  it('closes 4413 on frames over 64 KiB (UTF-8 bytes, not characters)', () => {
    const room = makeRoom();
    const { socket, conn } = join(room, 'customer');
    // 30 000 three-byte characters: under 64 Ki characters but over 64 KiB.
    conn.receive(JSON.stringify({ type: 'stage', stage: 'in-call', detail: '€'.repeat(30_000) }));
    expect(socket.last()).toMatchObject({ type: 'error', code: 'frame-too-large' });
    expect(socket.closedWith?.code).toBe(4413);
  });

  it('a newer socket for a seat replaces the old one (4409) without a disconnect blip', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const first = join(room, 'customer');
    const before = specialist.socket.frames.length;
    const second = join(room, 'customer');
    expect(first.socket.closedWith?.code).toBe(4409);
    const updates = specialist.socket.frames.slice(before);
    expect(updates).toEqual([
      expect.objectContaining({ type: 'participant', participant: expect.objectContaining({ connected: true, connectionId: 'c3' }) }),
    ]);
    // The replaced socket's late close must not free the new holder's seat.
    first.conn.closed();
    expect(room.customerPresence().connected).toBe(true);
    second.conn.receive(JSON.stringify({ type: 'ping', t: 1 }));
    expect(second.socket.last()).toEqual({ type: 'pong', t: 1 });
  });

  it('end sends session-ended (redirect for the customer) and closes everyone with 4410', () => {
    const room = makeRoom();
    const specialist = join(room, 'specialist');
    const customer = join(room, 'customer');
    const pending = new FakeSocket();
    room.attach('customer', 'other', pending);
    room.end('ended-by-specialist');
    expect(customer.socket.last()).toEqual({ type: 'session-ended', reason: 'ended-by-specialist', redirectUrl: 'https://www.wilo.com' });
    expect(specialist.socket.last()).toEqual({ type: 'session-ended', reason: 'ended-by-specialist' });
    for (const s of [customer.socket, specialist.socket, pending]) expect(s.closedWith?.code).toBe(4410);
    const late = new FakeSocket();
    room.attach('customer', 'k', late);
    expect(late.closedWith?.code).toBe(4410);
  });

  it('reports no-peer when signaling alone', () => {
    const room = makeRoom();
    const { socket, conn } = join(room, 'specialist');
    conn.receive(JSON.stringify({ type: 'signal', signal: { kind: 'offer', sdp: 'v=0' } }));
    expect(socket.last()).toMatchObject({ type: 'error', code: 'no-peer' });
    expect(socket.closedWith).toBeNull();
  });

  describe('frame budget', () => {
    function timedRoom() {
      let now = 0;
      let n = 0;
      const room = new Room({
        sessionId: 'session-123',
        media: { mode: 'p2p', iceServers: [] },
        exitUrl: 'https://www.wilo.com',
        specialistName: 'Ada Agent',
        newConnectionId: () => `c${++n}`,
        frameBudget: { perSecond: 200, burst: 400 },
        now: () => now,
      });
      return { room, advance: (ms: number) => (now += ms) };
    }
    const ice = (i: number) => JSON.stringify({ type: 'signal', signal: { kind: 'ice', candidate: { candidate: `candidate:${i}` } } });

    it('passes 60 frames a second for a minute, every one of them', () => {
      const { room, advance } = timedRoom();
      const specialist = join(room, 'specialist');
      const customer = join(room, 'customer');
      const before = customer.socket.ofType('signal').length;
      for (let i = 0; i < 60 * 60; i += 1) {
        specialist.conn.receive(ice(i));
        advance(1000 / 60);
      }
      expect(customer.socket.ofType('signal').length - before).toBe(3600);
      expect(specialist.socket.ofType('error')).toEqual([]);
    });

    it('drops a flood beyond the burst, tells the sender once a second, keeps the socket, and recovers', () => {
      const { room, advance } = timedRoom();
      const specialist = join(room, 'specialist');
      const customer = join(room, 'customer');
      // hello took one frame of the burst.
      for (let i = 0; i < 5000; i += 1) specialist.conn.receive(ice(i));
      expect(customer.socket.ofType('signal')).toHaveLength(399);
      expect(specialist.socket.ofType('error')).toEqual([
        { type: 'error', code: 'rate-limited', message: 'more than 200 frames a second: frames are being dropped' },
      ]);
      expect(specialist.socket.closedWith).toBeNull();

      advance(500);
      for (let i = 0; i < 200; i += 1) specialist.conn.receive(ice(i));
      expect(customer.socket.ofType('signal')).toHaveLength(399 + 100);
      expect(specialist.socket.ofType('error')).toHaveLength(1);
      advance(600);
      specialist.conn.receive(ice(0));
      expect(customer.socket.ofType('signal')).toHaveLength(500);

      // The other seat has its own budget.
      customer.conn.receive(ice(1));
      expect(specialist.socket.ofType('signal')).toHaveLength(1);
    });
  });
});
