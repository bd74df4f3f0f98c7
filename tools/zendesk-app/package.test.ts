import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkManifest } from './check-manifest.js';
import { buildPackage, PLACEHOLDER_HOST } from './package.js';
import { readZip } from './zip-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'la-zapp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the Zendesk app package', () => {
  it('holds manifest.json, translations and logos at the root, and passes the manifest check', async () => {
    const outFile = join(dir, 'app.zip');
    await buildPackage({ outFile, relayPublicUrl: 'https://assist.example.com/', supportEmail: 'help@assist.example.com' });
    const zip = readZip(readFileSync(outFile));

    expect([...zip.keys()].sort()).toEqual([
      'assets/logo-small.png',
      'assets/logo.png',
      'assets/logo.svg',
      'manifest.json',
      'translations/bg.json',
      'translations/de.json',
      'translations/en.json',
    ]);
    expect(pngSize(zip.get('assets/logo.png')!)).toEqual({ width: 320, height: 320 });
    expect(pngSize(zip.get('assets/logo-small.png')!)).toEqual({ width: 128, height: 128 });

    const manifest = JSON.parse(zip.get('manifest.json')!.toString('utf8')) as {
      location: { support: Record<string, { url: string }> };
      parameters: { name: string; default?: string }[];
    };
    // Zendesk fills the setting in, so one zip serves any relay; the console modal must be declared.
    expect(Object.keys(manifest.location.support).sort()).toEqual(['modal', 'ticket_sidebar']);
    expect(manifest.location.support.ticket_sidebar!.url).toBe('{{setting.relay_url}}/app/ticket_sidebar');
    expect(manifest.location.support.modal!.url).toBe('{{setting.relay_url}}/app/modal');
    expect(zip.get('manifest.json')!.toString('utf8')).not.toContain(PLACEHOLDER_HOST);
    expect(manifest.parameters.find((p) => p.name === 'relay_url')?.default).toBe('https://assist.example.com');
    const translations = Object.fromEntries(
      ['en', 'bg', 'de'].map((l) => [l, JSON.parse(zip.get(`translations/${l}.json`)!.toString('utf8')) as unknown]),
    );
    expect(checkManifest(manifest, translations, { files: [...zip.keys()] })).toEqual({ errors: [] });
  });

  it('refuses to write a zip that points at the placeholder host', async () => {
    await expect(buildPackage({ outFile: join(dir, 'none.zip') })).rejects.toThrow(/RELAY_PUBLIC_URL is not set/);
    await expect(buildPackage({ outFile: join(dir, 'mail.zip'), relayPublicUrl: 'https://assist.example.com' })).rejects.toThrow(
      /placeholder host live-assist\.example/,
    );
  });

  it('refuses to package a relay URL Zendesk would reject', async () => {
    await expect(
      buildPackage({ outFile: join(dir, 'bad.zip'), relayPublicUrl: 'http://assist.example.com', supportEmail: 'a@b.example' }),
    ).rejects.toThrow(/must be an absolute https URL/);
  });
});
