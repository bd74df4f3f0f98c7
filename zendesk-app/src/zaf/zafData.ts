import type { ZafClient, ZafResult } from 'zendesk_app_framework_sdk';
import { z } from 'zod';
import { TicketIdSchema } from '@live-assist/protocol';

/** Reads one path from a ZAF `get` result; the SDK already rejects when the host reported an error. */
async function getPath<T>(client: ZafClient, path: string, schema: z.ZodType<T>): Promise<T> {
  const result: ZafResult = await client.get(path);
  const parsed = schema.safeParse(result[path]);
  if (!parsed.success) throw new Error(`The helpdesk returned no usable "${path}"`);
  return parsed.data;
}

export function getTicketId(client: ZafClient): Promise<number> {
  return getPath(client, 'ticket.id', TicketIdSchema);
}

export async function getUserLocale(client: ZafClient): Promise<string | null> {
  try {
    return await getPath(client, 'currentUser.locale', z.string().min(2));
  } catch {
    return null;
  }
}

const InstancesSchema = z.record(z.string(), z.looseObject({ location: z.string() }));

/**
 * A modal has no ticket of its own (Zendesk answers `ticket.*` only in ticket locations), so the
 * console asks the sidebar instance that opened it, named in its URL, or else any ticket sidebar.
 */
export async function getTicketIdForModal(client: ZafClient, parentGuid: string | null): Promise<number> {
  try {
    return await getTicketId(client);
  } catch {
    // Expected in a modal; fall through to the sidebar instance.
  }
  let guid = parentGuid;
  if (!guid) {
    const instances = await getPath(client, 'instances', InstancesSchema);
    guid = Object.entries(instances).find(([, ctx]) => ctx.location === 'ticket_sidebar')?.[0] ?? null;
  }
  if (!guid) throw new Error('No open ticket was found for this window');
  return getTicketId(client.instance(guid));
}

export const MODAL_SIZE = { width: '1100px', height: '720px' } as const;

/** Opens the specialist console as a modal; the sidebar's guid lets the modal find its ticket. */
export async function openConsoleModal(client: ZafClient, relayUrl: string, parentGuid: string): Promise<void> {
  const url = new URL(`${relayUrl.replace(/\/+$/, '')}/app/modal`);
  url.searchParams.set('parent_guid', parentGuid);
  await client.invoke('instances.create', { location: 'modal', url: url.toString(), size: MODAL_SIZE });
}
