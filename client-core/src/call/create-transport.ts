import { MediaMode, type MediaConfig, type Role } from '@live-assist/protocol';
import { P2PTransport, type SignalingChannel } from '../p2p.js';
import type { CallTransport } from '../transport.js';
import { relayTwilioToken } from '../twilio/token.js';
import { TwilioTransport } from '../twilio/transport.js';

export type CreateCallTransportOptions = {
  /** What the relay's welcome says carries this session's media. */
  media: MediaConfig;
  role: Role;
  /** The relay socket: P2P negotiates over it, both engines report camera and microphone on it. */
  socket: SignalingChannel;
  /** Relay origin (and path prefix) for the Twilio token request; '' for the page's own origin. */
  relayUrl: string;
  /** Authorises the Twilio token request. */
  participantToken: string;
  /** Asked for again when the camera is turned back on. */
  videoConstraints: MediaTrackConstraints;
  /**
   * An observer's console: in Twilio it joins the room but sends no frames over the relay socket,
   * which would refuse them; P2P has no transport for it (the picture comes through watch.ts).
   */
  watchOnly?: boolean;
};

/** The engine the relay chose for the session, the same way on the phone and in the console; null when none fits. */
export function createCallTransport(options: CreateCallTransportOptions): CallTransport | null {
  const { media, role, socket, videoConstraints } = options;
  switch (media.mode) {
    case MediaMode.p2p:
      if (options.watchOnly) return null;
      return new P2PTransport({ socket, role, iceServers: media.iceServers, videoConstraints });
    case MediaMode.twilio:
      // twilio-video itself loads on connect() (a dynamic import), i.e. after consent and camera.
      return new TwilioTransport({
        role,
        getToken: relayTwilioToken({ relayUrl: options.relayUrl.replace(/\/+$/, ''), participantToken: options.participantToken }),
        ...(options.watchOnly ? {} : { relay: socket }),
        videoConstraints,
      });
  }
}
