import { Role } from '@live-assist/protocol';
import {
  RelaySocket,
  SPECIALIST_CAMERA,
  WatchForwarder,
  WatchReceiver,
  acquireLocalMedia,
  browserNetworkSignal,
  createCallTransport,
} from '@live-assist/client-core';
import type { AgentApi } from '../api/relayApi';
import type { ConsoleDeps } from './consoleSession';

/** `http(s)://host` → `ws(s)://host`, keeping any path prefix the relay is served under. */
export function wsBaseOf(relayUrl: string): string {
  return relayUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
}

/** The real browser parts behind the console: relay socket, P2P or Twilio media, the agent's camera. */
export function browserConsoleDeps(api: AgentApi, relayUrl: string): ConsoleDeps {
  return {
    api,
    createSocket: (token) => new RelaySocket({ wsBase: wsBaseOf(relayUrl), token, network: browserNetworkSignal() }),
    createTransport: (socket, media, specialistToken, watchOnly = false) =>
      createCallTransport({
        media,
        role: Role.specialist,
        socket,
        relayUrl,
        participantToken: specialistToken,
        videoConstraints: SPECIALIST_CAMERA,
        watchOnly,
      }),
    createWatchForwarder: (socket, media) => new WatchForwarder({ socket, iceServers: media.iceServers }),
    createWatchReceiver: (socket, media) => new WatchReceiver({ socket, iceServers: media.iceServers }),
    acquireMedia: async () => (await acquireLocalMedia({ preferRear: false, video: SPECIALIST_CAMERA })).stream,
    emptyStream: () => new MediaStream(),
  };
}
