import { MediaMode, Role } from '@live-assist/protocol';
import { P2PTransport, RelaySocket, acquireLocalMedia } from '@live-assist/client-core';
import type { AgentApi } from '../api/relayApi';
import type { ConsoleDeps } from './consoleSession';

/** `http(s)://host` → `ws(s)://host`, keeping any path prefix the relay is served under. */
export function wsBaseOf(relayUrl: string): string {
  return relayUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
}

/** The real browser parts behind the console: relay socket, P2P media, the agent's camera. */
export function browserConsoleDeps(api: AgentApi, relayUrl: string): ConsoleDeps {
  return {
    api,
    createSocket: (token) => new RelaySocket({ wsBase: wsBaseOf(relayUrl), token }),
    createTransport: (socket, media) => {
      // Twilio media arrives with a later issue; until then only peer-to-peer calls run.
      if (media.mode !== MediaMode.p2p) return null;
      return new P2PTransport({ socket, role: Role.specialist, iceServers: media.iceServers });
    },
    acquireMedia: async () => (await acquireLocalMedia({ preferRear: false })).stream,
    emptyStream: () => new MediaStream(),
  };
}
