import { MediaMode, Role, type MediaConfig } from '@live-assist/protocol';
import {
  P2PTransport,
  RelaySocket,
  browserNetworkSignal,
  TwilioTransport,
  acquireLocalMedia,
  relayTwilioToken,
  cameraConstraints,
  type CallTransport,
} from '@live-assist/client-core';
import i18next from 'i18next';
import { consentText } from '../consent/consentText.js';
import { createCustomerApi } from './api.js';
import { detectInAppBrowser } from './browserInfo.js';
import { locate } from './location.js';
import type { CustomerCallDeps } from './customerCall.js';

/** The customer's camera faces the problem, not the customer. */
const PREFER_REAR = true;

function wsBase(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}`;
}

function createTransport(media: MediaConfig, socket: RelaySocket, participantToken: string): CallTransport | null {
  switch (media.mode) {
    case MediaMode.p2p:
      return new P2PTransport({
        socket,
        role: Role.customer,
        iceServers: media.iceServers,
        videoConstraints: cameraConstraints({ preferRear: PREFER_REAR }),
      });
    case MediaMode.twilio:
      // twilio-video itself loads on connect() (a dynamic import), i.e. after consent and camera.
      return new TwilioTransport({
        role: Role.customer,
        getToken: relayTwilioToken({ relayUrl: '', participantToken }),
        relay: socket,
        videoConstraints: cameraConstraints({ preferRear: PREFER_REAR }),
      });
  }
}

async function hasMediaPermission(): Promise<boolean> {
  try {
    const names = ['camera', 'microphone'] as const;
    const states = await Promise.all(names.map((name) => navigator.permissions.query({ name: name as PermissionName })));
    return states.every((s) => s.state === 'granted');
  } catch {
    // Firefox and older Safari cannot query camera permission; ask with the button instead.
    return false;
  }
}

export function browserDeps(inviteToken: string, locale: () => string): CustomerCallDeps {
  return {
    inviteToken,
    api: createCustomerApi(),
    storage: window.sessionStorage,
    openSocket: (token) => new RelaySocket({ wsBase: wsBase(), token, network: browserNetworkSignal() }),
    createTransport,
    acquireMedia: () => acquireLocalMedia({ preferRear: PREFER_REAR }),
    hasMediaPermission,
    locate: () => locate(typeof navigator.geolocation === 'undefined' ? undefined : navigator.geolocation),
    inAppBrowser: () => detectInAppBrowser(navigator.userAgent),
    locale,
    consentText: (invite) => consentText((key, options) => i18next.t(key, options), invite.branding),
    redirect: (url) => window.location.assign(url),
  };
}
