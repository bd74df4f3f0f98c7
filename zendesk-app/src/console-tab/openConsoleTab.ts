import { CONSOLE_TAB_OPEN_PATH, ConsoleTabOpenResponseSchema, type ConsoleTabOpenResponse } from '@live-assist/protocol';

export type ConsoleTabOpening =
  | { kind: 'opened'; login: ConsoleTabOpenResponse }
  /** No code, or one that expired or was used: the agent opens the view again from the ticket. */
  | { kind: 'expired' }
  /** The relay could not be reached or answered oddly: trying again may help. */
  | { kind: 'failed' };

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Takes the one-time code out of the page's fragment (and out of the address bar and history at
 * once, so a reload or a shared screen does not show it) and trades it for the tab's own login.
 */
export function takeCode(location: Pick<Location, 'hash' | 'pathname' | 'search'>, history: Pick<History, 'replaceState'>): string | null {
  const code = location.hash.replace(/^#/, '');
  if (code) history.replaceState(null, '', `${location.pathname}${location.search}`);
  return code || null;
}

export async function openConsoleTab(relayUrl: string, code: string | null, doFetch: Fetch): Promise<ConsoleTabOpening> {
  if (!code) return { kind: 'expired' };
  let response: Response;
  try {
    response = await doFetch(`${relayUrl}${CONSOLE_TAB_OPEN_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  } catch {
    return { kind: 'failed' };
  }
  // 401: expired, used, or the sidebar's sign-in ended; 403/404: the ticket is no longer the agent's.
  if (response.status === 401 || response.status === 403 || response.status === 404) return { kind: 'expired' };
  if (!response.ok) return { kind: 'failed' };
  const parsed = ConsoleTabOpenResponseSchema.safeParse(await response.json().catch(() => null));
  return parsed.success ? { kind: 'opened', login: parsed.data } : { kind: 'failed' };
}
