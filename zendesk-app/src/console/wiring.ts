import { MediaMode, Role } from '@live-assist/protocol';
import {
  P2PTransport,
  RelaySocket,
  SPECIALIST_CAMERA,
  TwilioTransport,
  WatchForwarder,
  WatchReceiver,
  acquireLocalMedia,
  browserNetworkSignal,
  relayTwilioToken,
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
    createTransport: (socket, media, specialistToken, watchOnly = false) => {
      if (media.mode === MediaMode.twilio) {
        // twilio-video is fetched by a dynamic import when the call connects.
        return new TwilioTransport({
          role: Role.specialist,
          getToken: relayTwilioToken({ relayUrl: relayUrl.replace(/\/+$/, ''), participantToken: specialistToken }),
          // An observer's socket may not send media-state; the relay would refuse it.
          ...(watchOnly ? {} : { relay: socket }),
          videoConstraints: SPECIALIST_CAMERA,
        });
      }
      if (watchOnly) return null;
      return new P2PTransport({ socket, role: Role.specialist, iceServers: media.iceServers, videoConstraints: SPECIALIST_CAMERA });
    },
    createWatchForwarder: (socket, media) => new WatchForwarder({ socket, iceServers: media.iceServers }),
    createWatchReceiver: (socket, media) => new WatchReceiver({ socket, iceServers: media.iceServers }),
    acquireMedia: async () => (await acquireLocalMedia({ preferRear: false, video: SPECIALIST_CAMERA })).stream,
    emptyStream: () => new MediaStream(),
  };
}
