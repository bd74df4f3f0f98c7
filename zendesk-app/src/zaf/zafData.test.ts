import { describe, expect, it, vi } from 'vitest';
import type { ZafClient, ZafHandler } from 'zendesk_app_framework_sdk';
import { ConsoleEvents, ConsoleOpener, MODAL_SIZE, receiveConsoleTicket } from './zafData';

/**
 * A tiny host: instances subscribe by guid; `trigger` without a target goes to every other instance,
 * `instance(guid).trigger` only to that one, as in ZAF.
 */
function bus() {
  const handlers = new Map<string, Map<string, Set<ZafHandler>>>();
  let created = 0;
  const clientFor = (guid: string, target = guid): ZafClient =>
    ({
      on: (name: string, h: ZafHandler) => {
        const byName = handlers.get(guid) ?? new Map<string, Set<ZafHandler>>();
        handlers.set(guid, byName);
        byName.set(name, (byName.get(name) ?? new Set()).add(h));
      },
      off: (name: string, h: ZafHandler) => handlers.get(guid)?.get(name)?.delete(h) ?? false,
      trigger: (name: string, data: unknown) => {
        const targets = target === guid ? [...handlers.keys()].filter((g) => g !== guid) : [target];
        for (const g of targets) for (const h of handlers.get(g)?.get(name) ?? []) h(data);
      },
      instance: (other: string) => clientFor(guid, other),
      invoke: vi.fn(async () => ({ 'instances.create': [{ instanceGuid: `modal-${++created}` }], errors: {} })),
    }) as unknown as ZafClient;
  return { clientFor };
}

describe('console modal handshake', () => {
  it('opens the manifest-declared modal without a url, within 80vw × 80vh', async () => {
    const { clientFor } = bus();
    const sidebar = clientFor('sidebar-a');
    await new ConsoleOpener(sidebar, 1201).open();
    expect(sidebar.invoke).toHaveBeenCalledWith('instances.create', { location: 'modal', size: MODAL_SIZE });
    expect(MODAL_SIZE).toEqual({ width: '80vw', height: '80vh' });
  });

  it('two sidebars each give their own modal their own ticket, whichever listens first', async () => {
    const { clientFor } = bus();
    const a = new ConsoleOpener(clientFor('sidebar-a'), 1201);
    const b = new ConsoleOpener(clientFor('sidebar-b'), 1202);
    const guidA = await a.open();
    const guidB = await b.open();
    // The modals start listening after the sidebars' first messages were lost.
    const [ticketB, ticketA] = await Promise.all([
      receiveConsoleTicket(clientFor(guidB), guidB),
      receiveConsoleTicket(clientFor(guidA), guidA),
    ]);
    expect({ ticketA, ticketB }).toEqual({ ticketA: { ticketId: 1201, observe: false }, ticketB: { ticketId: 1202, observe: false } });
  });

  it('a console opened with "Join as observer" learns that it only watches', async () => {
    const { clientFor } = bus();
    const sidebar = new ConsoleOpener(clientFor('sidebar-a'), 1201);
    const watching = await sidebar.open(true);
    const holding = await sidebar.open();
    const [w, h] = await Promise.all([
      receiveConsoleTicket(clientFor(watching), watching),
      receiveConsoleTicket(clientFor(holding), holding),
    ]);
    expect(w).toEqual({ ticketId: 1201, observe: true });
    expect(h).toEqual({ ticketId: 1201, observe: false });
  });

  it('ignores malformed ticket messages and fails when no sidebar answers', async () => {
    const { clientFor } = bus();
    const modal = clientFor('lonely-modal');
    const stranger = clientFor('stranger');
    const pending = receiveConsoleTicket(modal, 'lonely-modal', 50);
    stranger.instance('lonely-modal').trigger(ConsoleEvents.ticket, { ticketId: 'not a number' });
    await expect(pending).rejects.toThrow('No ticket sidebar answered');
  });
});
