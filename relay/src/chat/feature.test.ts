import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, RelayToClientSchema, type RelayToClient } from '@live-assist/protocol';
import { localBlobs } from '../blobs/index.js';
import { Room, type RoomConnection, type RoomSocket } from '../rooms/room.js';
import { UploadService } from '../uploads/service.js';
import type { UploadRepository } from '../uploads/store.js';
import { chatFeature } from './feature.js';
import type { ChatRecord, ChatRepository, NewChatRecord } from './store.js';

class FakeSocket implements RoomSocket {
  readonly frames: RelayToClient[] = [];
  send(text: string): void {
    this.frames.push(RelayToClientSchema.parse(JSON.parse(text)));
  }
  close(): void {}
  ofType<T extends RelayToClient['type']>(type: T): Extract<RelayToClient, { type: T }>[] {
    return this.frames.filter((f): f is Extract<RelayToClient, { type: T }> => f.type === type);
  }
}

/** A chat log whose writes finish only when the test says so. */
class GatedChat implements ChatRepository {
  readonly rows: ChatRecord[] = [];
  private release: (() => void)[] = [];
  failNext = false;
  append(m: NewChatRecord): Promise<{ record: ChatRecord; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.release.push(() => {
        if (this.failNext) {
          this.failNext = false;
          reject(new Error('disk full'));
          return;
        }
        const record = { ...m, seq: this.rows.length + 1 };
        this.rows.push(record);
        resolve({ record, duplicate: false });
      });
    });
  }
  async findById(_s: string, id: string) {
    return this.rows.find((r) => r.id === id) ?? null;
  }
  async listAfter(_s: string, after: number) {
    return this.rows.filter((r) => r.seq > after);
  }
  commit(): void {
    for (const r of this.release.splice(0)) r();
  }
}

const noUploads: UploadRepository = { add: async () => {}, findById: async () => null, listForSession: async () => [] };
const flush = () => new Promise((r) => setTimeout(r, 10));

function setup() {
  const chat = new GatedChat();
  const uploads = new UploadService({
    repo: noUploads,
    blobs: localBlobs('/nonexistent'),
    secret: new Uint8Array(32),
    publicUrl: 'http://relay',
    now: Date.now,
  });
  const feature = chatFeature({ chat, uploads, now: Date.now, sessions: { findById: async () => null } })({ sessionId: 'session-1' });
  const room = new Room({
    sessionId: 'session-1',
    media: { mode: 'p2p', iceServers: [] },
    exitUrl: 'https://www.wilo.com',
    specialistName: 'Ada',
    features: [feature],
  });
  const join = (role: 'customer' | 'specialist'): { socket: FakeSocket; conn: RoomConnection } => {
    const socket = new FakeSocket();
    const conn = room.attach(role, `${role}-key`, socket);
    conn.receive(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
    return { socket, conn };
  };
  return { chat, join };
}

describe('chat feature', () => {
  it('shows a message to the other side only after it is stored', async () => {
    const { chat, join } = setup();
    const customer = join('customer');
    const specialist = join('specialist');
    customer.conn.receive(JSON.stringify({ type: 'chat-send', clientId: 'client-0001', text: 'The pump hums' }));
    await flush();
    expect(specialist.socket.ofType('chat-message')).toHaveLength(0);
    expect(customer.socket.ofType('chat-message')).toHaveLength(0);
    chat.commit();
    await flush();
    expect(specialist.socket.ofType('chat-message').map((f) => f.message)).toMatchObject([
      { seq: 1, text: 'The pump hums', from: 'customer' },
    ]);
    expect(customer.socket.ofType('chat-message').map((f) => f.message.clientId)).toEqual(['client-0001']);
  });

  it('a message that cannot be stored is never shown and its sender is told', async () => {
    const { chat, join } = setup();
    const customer = join('customer');
    const specialist = join('specialist');
    chat.failNext = true;
    customer.conn.receive(JSON.stringify({ type: 'chat-send', clientId: 'client-0002', text: 'hello?' }));
    await flush();
    chat.commit();
    await flush();
    expect(specialist.socket.ofType('chat-message')).toHaveLength(0);
    expect(customer.socket.ofType('chat-rejected')).toMatchObject([{ clientId: 'client-0002', reason: 'storage' }]);
  });

  it('delivers in sequence order even when sends overlap', async () => {
    const { chat, join } = setup();
    const customer = join('customer');
    const specialist = join('specialist');
    customer.conn.receive(JSON.stringify({ type: 'chat-send', clientId: 'client-000a', text: 'one' }));
    specialist.conn.receive(JSON.stringify({ type: 'chat-send', clientId: 'client-000b', text: 'two' }));
    for (let i = 0; i < 4; i++) {
      chat.commit();
      await flush();
    }
    expect(customer.socket.ofType('chat-message').map((f) => [f.message.seq, f.message.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
  });
});
