import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server standing in for Twilio's REST API in tests (and for manual runs without an
 * account). It speaks the subset the relay uses: Video Rooms create/fetch/update and NTS tokens,
 * with Twilio's JSON shapes and error bodies. Point the twilio client at it with
 * `RebasedRequestClient(fake.url)`.
 */
export type RecordedRequest = {
  method: string;
  path: string;
  /** The Twilio host the client meant (from RebasedRequestClient's X-Twilio-Host). */
  twilioHost: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
};

export type FakeRoom = {
  sid: string;
  uniqueName: string;
  status: 'in-progress' | 'completed';
  maxParticipants: number;
  statusCallback: string | null;
  statusCallbackMethod: string | null;
  type: string;
  mediaRegion: string;
  recordParticipantsOnConnect: boolean;
};

type Override = { status: number; body?: unknown } | 'drop';

export class FakeTwilioApi {
  readonly requests: RecordedRequest[] = [];
  readonly rooms = new Map<string, FakeRoom>();
  private readonly overrides: Override[] = [];
  private server: Server | null = null;
  private roomCounter = 0;
  private ntsCounter = 0;
  url = '';

  constructor(readonly accountSid: string) {}

  /** The next `count` requests get this answer instead of the normal one ('drop' resets the socket). */
  failNext(override: Override, count = 1): void {
    for (let i = 0; i < count; i++) this.overrides.push(override);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      twilioHost: header(req, 'x-twilio-host'),
      authorization: header(req, 'authorization'),
      contentType: header(req, 'content-type'),
      form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
    };
    this.requests.push(recorded);

    const override = this.overrides.shift();
    if (override === 'drop') {
      req.socket.destroy();
      return;
    }
    if (override) {
      send(res, override.status, override.body ?? { code: 20500, message: 'Internal Server Error', status: override.status });
      return;
    }
    const { status, body } = this.route(recorded);
    send(res, status, body);
  }

  private route(req: RecordedRequest): { status: number; body: unknown } {
    if (req.method === 'POST' && req.path === '/v1/Rooms') return this.createRoom(req.form);
    const roomMatch = /^\/v1\/Rooms\/([^/]+)$/.exec(req.path);
    if (roomMatch) {
      const room = this.findRoom(decodeURIComponent(roomMatch[1]!));
      if (!room) return notFound(req.path);
      if (req.method === 'GET') return { status: 200, body: this.roomJson(room) };
      if (req.method === 'POST') {
        if (req.form.get('Status') !== 'completed') return error(400, 53112, 'Status is invalid');
        // Twilio refuses to complete a room that is no longer in progress (errors/53112).
        if (room.status !== 'in-progress') return error(400, 53112, 'Room is not in-progress');
        room.status = 'completed';
        return { status: 200, body: this.roomJson(room) };
      }
    }
    if (req.method === 'POST' && req.path === `/2010-04-01/Accounts/${this.accountSid}/Tokens.json`) {
      return this.createNtsToken(req.form);
    }
    return notFound(req.path);
  }

  private createRoom(form: URLSearchParams): { status: number; body: unknown } {
    const uniqueName = form.get('UniqueName') ?? '';
    const existing = [...this.rooms.values()].find((r) => r.uniqueName === uniqueName && r.status === 'in-progress');
    if (existing) return error(400, 53113, 'Room exists');
    this.roomCounter++;
    const room: FakeRoom = {
      sid: `RM${this.roomCounter.toString(16).padStart(32, '0')}`,
      uniqueName: uniqueName || `RM${this.roomCounter}`,
      status: 'in-progress',
      maxParticipants: Number(form.get('MaxParticipants') ?? 50),
      statusCallback: form.get('StatusCallback'),
      statusCallbackMethod: form.get('StatusCallbackMethod'),
      type: form.get('Type') ?? 'group',
      // The account default when none is sent; this stand-in's account is in the US.
      mediaRegion: form.get('MediaRegion') ?? 'us1',
      recordParticipantsOnConnect: form.get('RecordParticipantsOnConnect') === 'true',
    };
    this.rooms.set(room.sid, room);
    return { status: 201, body: this.roomJson(room) };
  }

  /** By SID, or by unique name among in-progress rooms only (as Twilio does). */
  private findRoom(sidOrName: string): FakeRoom | undefined {
    return this.rooms.get(sidOrName) ?? [...this.rooms.values()].find((r) => r.uniqueName === sidOrName && r.status === 'in-progress');
  }

  private createNtsToken(form: URLSearchParams): { status: number; body: unknown } {
    this.ntsCounter++;
    const ttl = form.get('Ttl') ?? '86400';
    const username = `nts-user-${this.ntsCounter}`;
    const credential = `nts-credential-${this.ntsCounter}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      body: {
        account_sid: this.accountSid,
        date_created: now,
        date_updated: now,
        ttl,
        username,
        password: credential,
        ice_servers: [
          { url: 'stun:global.stun.twilio.com:3478', urls: 'stun:global.stun.twilio.com:3478' },
          {
            url: 'turn:global.turn.twilio.com:3478?transport=udp',
            urls: 'turn:global.turn.twilio.com:3478?transport=udp',
            username,
            credential,
          },
          {
            url: 'turns:global.turn.twilio.com:443?transport=tcp',
            urls: 'turns:global.turn.twilio.com:443?transport=tcp',
            username,
            credential,
          },
        ],
      },
    };
  }

  private roomJson(room: FakeRoom): unknown {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      sid: room.sid,
      status: room.status,
      date_created: now,
      date_updated: now,
      account_sid: this.accountSid,
      enable_turn: true,
      unique_name: room.uniqueName,
      status_callback: room.statusCallback,
      status_callback_method: room.statusCallbackMethod ?? 'POST',
      end_time: room.status === 'completed' ? now : null,
      duration: room.status === 'completed' ? 1 : null,
      type: room.type,
      max_participants: room.maxParticipants,
      max_participant_duration: 14400,
      max_concurrent_published_tracks: 170,
      record_participants_on_connect: room.recordParticipantsOnConnect,
      video_codecs: ['VP8', 'H264'],
      media_region: room.mediaRegion,
      audio_only: false,
      empty_room_timeout: 5,
      unused_room_timeout: 5,
      large_room: false,
      url: `https://video.twilio.com/v1/Rooms/${room.sid}`,
      links: {},
    };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function error(status: number, code: number, message: string): { status: number; body: unknown } {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function notFound(path: string): { status: number; body: unknown } {
  return error(404, 20404, `The requested resource ${path} was not found`);
}
