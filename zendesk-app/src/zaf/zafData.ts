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

/**
 * Events between a ticket sidebar and the console modal it opened. The modal's URL is fixed by the
 * manifest, so the ticket travels by ZAF instance messaging, addressed by the modal's instance guid.
 */
export const ConsoleEvents = {
  /** Modal → every other instance: "I am listening"; carries the modal's own guid. */
  ready: 'live_assist.console_ready',
  /** Sidebar → its own modal: the ticket the console is for. */
  ticket: 'live_assist.console_ticket',
} as const;

const ReadySchema = z.object({ modalGuid: z.string().min(1) });
/** `observe`: the agent chose "Join as observer"; the console asks the relay for a watch-only token. */
const TicketMessageSchema = z.object({ ticketId: TicketIdSchema, observe: z.boolean().optional() });
export type ConsoleTicket = { ticketId: number; observe: boolean };
const CreatedSchema = z.array(z.looseObject({ instanceGuid: z.string().min(1) })).min(1);

/** Within Zendesk's recommendation for modals (at most 80vw × 80vh). */
export const MODAL_SIZE = { width: '80vw', height: '80vh' } as const;

/**
 * The sidebar's half of the handshake. Opens the console modal declared in the manifest and answers
 * only its own modal, so two ticket tabs with a console each never swap tickets.
 */
export class ConsoleOpener {
  private readonly opened = new Set<string>();
  private readonly onReady = (payload: unknown) => {
    const ready = ReadySchema.safeParse(payload);
    if (ready.success && this.opened.has(ready.data.modalGuid)) this.sendTicket(ready.data.modalGuid);
  };

  constructor(
    private readonly client: ZafClient,
    private readonly ticketId: number,
  ) {
    client.on(ConsoleEvents.ready, this.onReady);
  }

  /** Which console each opened modal is: the seat holder's, or an observer's. */
  private readonly observing = new Set<string>();

  async open(observe = false): Promise<string> {
    // No url: a server-side modal is loaded from the manifest's signed location, never from here.
    const result = await this.client.invoke('instances.create', { location: 'modal', size: MODAL_SIZE });
    const created = CreatedSchema.safeParse(result['instances.create']);
    if (!created.success) throw new Error('The helpdesk did not open the console');
    const guid = created.data[0]!.instanceGuid;
    this.opened.add(guid);
    if (observe) this.observing.add(guid);
    // The modal may already be listening (it then also asked with `ready`); answering twice is harmless.
    this.sendTicket(guid);
    return guid;
  }

  dispose(): void {
    this.client.off(ConsoleEvents.ready, this.onReady);
  }

  private sendTicket(modalGuid: string): void {
    this.client.instance(modalGuid).trigger(ConsoleEvents.ticket, { ticketId: this.ticketId, observe: this.observing.has(modalGuid) });
  }
}

/**
 * The modal's half: a modal has no ticket of its own (Zendesk answers `ticket.*` only in ticket
 * locations), so it listens for the ticket its sidebar sends, then says it is ready in case the
 * sidebar's first message came before it listened.
 */
export function receiveConsoleTicket(client: ZafClient, ownGuid: string, timeoutMs = 15_000): Promise<ConsoleTicket> {
  return new Promise((resolve, reject) => {
    const onTicket = (payload: unknown) => {
      const message = TicketMessageSchema.safeParse(payload);
      if (!message.success) return;
      finish();
      resolve({ ticketId: message.data.ticketId, observe: message.data.observe ?? false });
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error('No ticket sidebar answered this console'));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      client.off(ConsoleEvents.ticket, onTicket);
    };
    client.on(ConsoleEvents.ticket, onTicket);
    client.trigger(ConsoleEvents.ready, { modalGuid: ownGuid });
  });
}
