import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoFreshdeskApp } from './host-page.js';
import { SEEDED_INSTALLATION_SETTINGS } from './sandbox.js';
import { RequestsJsonSchema, renderTemplate } from './templates.js';

const APP_DIR = fileURLToPath(new URL('../../../../freshdesk-app', import.meta.url));

/** The repository's `laSignIn` as the sandbox's proxy renders it for an installation with these settings. */
function signInHeaders(settings?: Record<string, string>): Record<string, string> {
  const app = repoFreshdeskApp(APP_DIR, 'http://localhost:3000', 'http://127.0.0.1:3000', settings);
  if (!app) throw new Error('freshdesk-app/app/index.html is missing');
  const installation = {
    iparams: { ...app.iparams, ...Object.fromEntries(app.secureIparams.map((k) => [k, 's'.repeat(40)])) },
    secure: new Set(app.secureIparams),
  };
  return renderTemplate(RequestsJsonSchema.parse(app.requests).laSignIn!, installation, {}).headers;
}

describe("the sandbox's installation of the repository's Freshdesk app", () => {
  it('renders the seeded nameplate mapping into the sign-in next to the secret', () => {
    expect(signInHeaders(SEEDED_INSTALLATION_SETTINGS)).toMatchObject({
      Authorization: `Bearer ${'s'.repeat(40)}`,
      'X-Live-Assist-Nameplate-Model': 'cf_pump_model',
      'X-Live-Assist-Nameplate-Serial': 'cf_serial_number',
      'X-Live-Assist-Nameplate-Date': 'cf_production_date',
    });
  });

  it('renders a setting the admin left empty as an empty header; a setting the app does not define is not installed', () => {
    const settings = { nameplate_serial_field: 'cf_serial', not_an_iparam: 'x' };
    expect(signInHeaders(settings)).toMatchObject({ 'X-Live-Assist-Nameplate-Model': '', 'X-Live-Assist-Nameplate-Serial': 'cf_serial' });
    expect(repoFreshdeskApp(APP_DIR, 'http://localhost:3000', 'http://127.0.0.1:3000', settings)?.iparams).not.toHaveProperty(
      'not_an_iparam',
    );
  });
});
