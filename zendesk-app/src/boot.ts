import { z } from 'zod';

/** What the relay injects into index.html after verifying the helpdesk's signed app load. */
export const BootSchema = z.object({
  agentToken: z.string().min(1),
  location: z.enum(['ticket_sidebar', 'modal']),
  /** Public origin of the relay; same as the page's origin unless a proxy rewrites it. */
  relayUrl: z.url().optional(),
});
export type Boot = { agentToken: string; location: 'ticket_sidebar' | 'modal'; relayUrl: string };

/** The console in a tab of its own (Freshdesk): no login yet; the fragment has a one-time code for one. */
const ConsoleTabBootSchema = z.object({ location: z.literal('console_tab'), relayUrl: z.url().optional() });
export type ConsoleTabBoot = { location: 'console_tab'; relayUrl: string };

/** Reads the boot block; `null` means the page was opened without a signed load. */
export function readBoot(doc: Document = document): Boot | ConsoleTabBoot | null {
  const text = doc.getElementById('live-assist-boot')?.textContent;
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = z.union([BootSchema, ConsoleTabBootSchema]).safeParse(json);
  if (!parsed.success) return null;
  const relayUrl = (parsed.data.relayUrl ?? doc.location.origin).replace(/\/+$/, '');
  return { ...parsed.data, relayUrl };
}
