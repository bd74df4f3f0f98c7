import type { BrowserContext, WebSocketRoute } from 'playwright-core';

/** One RSP message body the SDK sent inside a TCMP `msg` (or a `hello`). */
export type RspMessage = { type: string; name?: string; token?: string; [key: string]: unknown };

/**
 * Stands in for Twilio's Video signalling (`wss://global.vss.twilio.com/signaling`) inside one
 * browser context, far enough for twilio-video to join a room: the TCMP handshake (hello →
 * welcome), the ICE step (`ice` → `iced`) and `connect` → `connected` with this participant
 * alone in the room. There is no media server: what it is for is seeing what the SDK says,
 * e.g. the RSP `disconnect` a participant sends when it leaves.
 */
export class TwilioSignalingStandIn {
  /** Every RSP body received, in order, across connections. */
  readonly received: RspMessage[] = [];
  connections = 0;
  private session = 0;

  async install(context: BrowserContext): Promise<void> {
    await context.routeWebSocket(/^wss:\/\/[^/]*\.twilio\.com\/signaling/, (ws) => this.serve(ws));
    // Twilio's Insights gateway: accepted and ignored, so the SDK never waits on it.
    await context.routeWebSocket(/^wss:\/\/sdkgw\.[^/]*twilio\.com/, () => undefined);
  }

  private serve(ws: WebSocketRoute): void {
    this.connections++;
    const sessionId = `session-${++this.session}`;
    const send = (body: object) => ws.send(JSON.stringify({ type: 'msg', body }));
    ws.onMessage((raw) => {
      let frame: { type?: string; body?: RspMessage; timeout?: number };
      try {
        frame = JSON.parse(String(raw)) as typeof frame;
      } catch {
        ws.close({ code: 3002, reason: 'bad json' });
        return;
      }
      if (frame.type === 'hello') {
        ws.send(JSON.stringify({ type: 'welcome', negotiatedTimeout: frame.timeout ?? 3000 }));
        if (frame.body) this.answer(frame.body, send, sessionId);
      } else if (frame.type === 'msg' && frame.body) {
        this.answer(frame.body, send, sessionId);
      } else if (frame.type === 'heartbeat') {
        ws.send(JSON.stringify({ type: 'heartbeat' }));
      }
    });
  }

  private answer(body: RspMessage, send: (body: object) => void, session: string): void {
    this.received.push(body);
    if (body.type === 'ice') send({ type: 'iced', ice_servers: [] });
    if (body.type === 'connect') {
      const participant = body.participant as { identity?: string } | undefined;
      send({
        type: 'connected',
        version: 2,
        session,
        sid: 'RM00000000000000000000000000000001',
        name: body.name,
        options: { session_timeout: 30, signaling_region: 'gll' },
        participant: {
          sid: 'PA00000000000000000000000000000001',
          identity: participant?.identity ?? 'customer',
          revision: 1,
          state: 'connected',
          tracks: [],
        },
        participants: [],
        peer_connections: [],
        recording: { is_recording: false, revision: 1 },
      });
    }
  }

  /** The RSP types received so far (`ice`, `connect`, `update`, `disconnect` …). */
  types(): string[] {
    return this.received.map((m) => m.type);
  }
}
