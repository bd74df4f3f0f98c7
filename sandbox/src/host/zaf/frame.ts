import { appToken } from '../api.js';

export interface SignedLoad {
  frame: HTMLIFrameElement;
  /** Absolute URL of the app location; origin and app_guid are appended like Zendesk does. */
  url: string;
  location: 'ticket_sidebar' | 'modal';
  ticketId: number;
  instanceGuid: string;
  /** Sandbox switch: sign the load for this agent instead of the signed-in one. */
  agentId?: number;
}

/** What the app may use in its frame: the console films the agent, the customer page shares a location. */
const APP_FEATURES = ['camera', 'microphone', 'display-capture', 'clipboard-read', 'clipboard-write', 'fullscreen', 'geolocation'];

/**
 * The frame's `allow`, naming the app's origin. Without an origin a feature is delegated to the
 * origin of the frame's `src`, and a frame loaded by a form POST has none: the host page's own
 * origin would get the camera, and an app on another origin (the relay, as with Zendesk) would not.
 */
function delegateTo(frame: HTMLIFrameElement, url: string): void {
  const origin = new URL(url).origin;
  frame.allow = APP_FEATURES.map((feature) => `${feature} ${origin}`).join('; ');
}

/** Zendesk's query parameters on every app location URL. */
function withZafParams(url: string, instanceGuid: string): string {
  const u = new URL(url);
  u.searchParams.set('origin', window.location.origin);
  u.searchParams.set('app_guid', instanceGuid);
  return u.toString();
}

/**
 * A location the manifest does not declare is loaded the way Zendesk loads it: a plain GET with no
 * token, which a signed-URL server refuses.
 */
export function loadPlainFrame(frame: HTMLIFrameElement, url: string, instanceGuid: string): void {
  delegateTo(frame, url);
  frame.src = withZafParams(url, instanceGuid);
}

/** Loads an app iframe the way Zendesk loads a signed-URL app: a form POST carrying a fresh JWT. */
export async function loadSignedFrame(load: SignedLoad): Promise<void> {
  const token = await appToken(load.location, load.ticketId, load.agentId);
  // The page may still be assembling; a form can only target a frame that is in the document.
  for (let i = 0; i < 50 && !load.frame.isConnected; i++) await new Promise((r) => requestAnimationFrame(r));
  if (!load.frame.isConnected) throw new Error('app frame was never attached to the page');
  // Read when the frame navigates: set before the form is submitted.
  delegateTo(load.frame, load.url);
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = withZafParams(load.url, load.instanceGuid);
  form.target = load.frame.name;
  form.hidden = true;
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'token';
  input.value = token;
  form.append(input);
  document.body.append(form);
  form.submit();
  form.remove();
}
