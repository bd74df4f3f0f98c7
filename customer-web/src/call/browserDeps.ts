import { Role } from '@live-assist/protocol';
import { RelaySocket, browserNetworkSignal, acquireLocalMedia, cameraConstraints, createCallTransport } from '@live-assist/client-core';
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
    // The token request goes to the page's own origin, which serves the relay.
    createTransport: (media, socket, participantToken) =>
      createCallTransport({
        media,
        role: Role.customer,
        socket,
        relayUrl: '',
        participantToken,
        videoConstraints: cameraConstraints({ preferRear: PREFER_REAR }),
      }),
    acquireMedia: () => acquireLocalMedia({ preferRear: PREFER_REAR }),
    hasMediaPermission,
    locate: () => locate(typeof navigator.geolocation === 'undefined' ? undefined : navigator.geolocation),
    inAppBrowser: () => detectInAppBrowser(navigator.userAgent),
    locale,
    consentText: (invite) => consentText((key, options) => i18next.t(key, options), invite.branding),
    redirect: (url) => window.location.assign(url),
  };
}
