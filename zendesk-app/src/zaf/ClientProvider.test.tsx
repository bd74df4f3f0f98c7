import { describe, expect, it, vi } from 'vitest';
import { renderToString } from 'react-dom/server';
import type { ZafClient } from 'zendesk_app_framework_sdk';

// The SDK touches `window` when loaded; these tests only need the provider's own logic.
vi.mock('zendesk_app_framework_sdk', () => ({ default: { init: () => false } }));

const { ClientProvider, useClient } = await import('./ClientProvider');

function UsesClient() {
  useClient();
  return <p>inside</p>;
}

const fakeClient = { ready: false, on: vi.fn(), off: vi.fn() } as unknown as ZafClient;

describe('ClientProvider', () => {
  it('useClient() throws outside the provider', () => {
    expect(() => renderToString(<UsesClient />)).toThrow(/inside <ClientProvider>/);
  });

  it('renders the pending view, not the app, until the helpdesk registers the app', () => {
    const html = renderToString(
      <ClientProvider client={fakeClient} pending={<p>waiting</p>} outsideHelpdesk={<p>outside</p>}>
        <UsesClient />
      </ClientProvider>,
    );
    expect(html).toContain('waiting');
    expect(html).not.toContain('inside');
  });

  it('explains itself when opened outside a helpdesk (no origin/app_guid)', () => {
    const html = renderToString(
      <ClientProvider client={false} pending={<p>waiting</p>} outsideHelpdesk={<p>outside</p>}>
        <UsesClient />
      </ClientProvider>,
    );
    expect(html).toContain('outside');
  });
});
