import { describe, expect, it, vi } from 'vitest';
import {
  Emitter,
  TwilioCallError,
  type CallState,
  type CallTransport,
  type CallTransportEvents,
  type RelaySocketEvents,
} from '@live-assist/client-core';
import type { MediaConfig, SessionView } from '@live-assist/protocol';
import type { AgentApi } from '../api/relayApi';
import { ConsoleSession, type ConsoleDeps, type ConsoleSocket } from './consoleSession';

// The console's view of a Twilio call: network quality of both sides and Twilio's errors as
// translatable keys. The transport is a stand-in emitting what TwilioTransport emits.

const session: SessionView = {
  sessionId: 'sess_0000000002',
  ticketId: 7,
  status: 'active',
  inviteUrl: 'http://localhost/join/abc',
  expiresAt: '2030-01-01T00:00:00.000Z',
  createdAt: '2029-12-31T00:00:00.000Z',
  endedAt: null,
  customerStage: 'in-call',
  customerConnected: true,
  specialistToken: 'spec-token-2',
  seat: { holder: 'Ada Agent', yours: true },
};

class StubTransport implements CallTransport {
  readonly mode = 'twilio' as const;
  readonly emitter = new Emitter<CallTransportEvents>();
  state: CallState = 'idle';
  localStream = null;
  remoteStream = null;
  cameraEnabled = true;
  microphoneEnabled = true;
  async connect() {}
  async setCameraEnabled() {}
  setMicrophoneEnabled() {}
  switchCamera() {
    return Promise.resolve();
  }
  leave() {}
  on<K extends keyof CallTransportEvents>(event: K, handler: (payload: CallTransportEvents[K]) => void) {
    return this.emitter.on(event, handler);
  }
}

function start(media: MediaConfig) {
  const socketEvents = new Emitter<RelaySocketEvents>();
  const socket: ConsoleSocket = {
    status: 'open',
    connect: () => undefined,
    close: () => undefined,
    send: () => true,
    participant: () => null,
    on: (event, handler) => socketEvents.on(event, handler),
  };
  const transport = new StubTransport();
  const createTransport = vi.fn<ConsoleDeps['createTransport']>(() => transport);
  const consoleSession = new ConsoleSession({
    // The console only reads the ticket's session here; the rest of the agent API is not reached.
    api: { ticketSession: async () => session, endSession: async () => session } as Partial<AgentApi> as AgentApi,
    createSocket: () => socket,
    createTransport,
    acquireMedia: async () => ({ getTracks: () => [] }) as unknown as MediaStream,
    emptyStream: () => ({ getTracks: () => [] }) as unknown as MediaStream,
  });
  const welcome = () =>
    socketEvents.emit('welcome', {
      type: 'welcome',
      protocolVersion: 1,
      sessionId: session.sessionId,
      role: 'specialist',
      connectionId: 's1',
      media,
      participants: [],
    });
  return { consoleSession, transport, createTransport, welcome };
}

describe('console on the twilio media path', () => {
  it('hands the specialist token to the transport and shows both sides’ network quality', async () => {
    const t = start({ mode: 'twilio', roomName: 'live-assist-sess_0000000002' });
    await t.consoleSession.start(7);
    t.welcome();
    expect(t.createTransport).toHaveBeenCalledWith(
      expect.anything(),
      { mode: 'twilio', roomName: 'live-assist-sess_0000000002' },
      'spec-token-2',
    );
    expect(t.consoleSession.state.get().networkQuality).toBeNull();
    t.transport.emitter.emit('networkQuality', { local: 4, remote: null });
    t.transport.emitter.emit('networkQuality', { local: 4, remote: 1 });
    expect(t.consoleSession.state.get().networkQuality).toEqual({ local: 4, remote: 1 });
  });

  it('keeps a Twilio error as a translation key until the call is connected again', async () => {
    const t = start({ mode: 'twilio', roomName: 'live-assist-sess_0000000002' });
    await t.consoleSession.start(7);
    t.welcome();
    t.transport.emitter.emit('error', new TwilioCallError(53105));
    t.transport.emitter.emit('state', 'failed');
    expect(t.consoleSession.state.get()).toMatchObject({ callError: 'twilio.room-full', call: 'failed' });
    // Errors that are not the media engine's own keep the generic call problem path.
    t.transport.emitter.emit('error', new Error('something else'));
    expect(t.consoleSession.state.get().callError).toBe('twilio.room-full');
    t.transport.emitter.emit('state', 'connected');
    expect(t.consoleSession.state.get().callError).toBeNull();
  });
});
