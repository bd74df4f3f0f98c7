import { describe, expect, it, vi } from 'vitest';
import type { ZafClient } from 'zendesk_app_framework_sdk';
import { getTicketIdForModal, openConsoleModal } from './zafData';

/** A client whose `get` answers like the host: values by path, or a rejection for unavailable paths. */
function client(data: Record<string, unknown>, instances: Record<string, ZafClient> = {}): ZafClient {
  return {
    get: vi.fn(async (path: string) => {
      if (!(path in data)) throw new Error(`"${path}" unavailable`);
      return { [path]: data[path], errors: {} };
    }),
    invoke: vi.fn(async () => ({ errors: {} })),
    instance: vi.fn((guid: string) => instances[guid]!),
  } as unknown as ZafClient;
}

describe('ZAF data', () => {
  it('in a modal, reads the ticket id from the sidebar instance that opened it', async () => {
    const sidebar = client({ 'ticket.id': 1201 });
    const modal = client({}, { 'sidebar-guid': sidebar });
    await expect(getTicketIdForModal(modal, 'sidebar-guid')).resolves.toBe(1201);
  });

  it('without a parent guid, finds a ticket sidebar among the instances', async () => {
    const sidebar = client({ 'ticket.id': 77 });
    const modal = client(
      { instances: { 'modal-guid': { location: 'modal' }, 'sb-guid': { location: 'ticket_sidebar' } } },
      { 'sb-guid': sidebar },
    );
    await expect(getTicketIdForModal(modal, null)).resolves.toBe(77);
  });

  it('opens the console as a modal on the relay, naming the sidebar as parent', async () => {
    const c = client({});
    await openConsoleModal(c, 'http://relay.test/', 'sb-guid');
    expect(c.invoke).toHaveBeenCalledWith('instances.create', {
      location: 'modal',
      url: 'http://relay.test/app/modal?parent_guid=sb-guid',
      size: { width: '1100px', height: '720px' },
    });
  });
});
