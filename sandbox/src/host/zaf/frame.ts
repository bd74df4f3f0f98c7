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
  frame.src = withZafParams(url, instanceGuid);
}

/** Loads an app iframe the way Zendesk loads a signed-URL app: a form POST carrying a fresh JWT. */
export async function loadSignedFrame(load: SignedLoad): Promise<void> {
  const token = await appToken(load.location, load.ticketId, load.agentId);
  // The page may still be assembling; a form can only target a frame that is in the document.
  for (let i = 0; i < 50 && !load.frame.isConnected; i++) await new Promise((r) => requestAnimationFrame(r));
  if (!load.frame.isConnected) throw new Error('app frame was never attached to the page');
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
