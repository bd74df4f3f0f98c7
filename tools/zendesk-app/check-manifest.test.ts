import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifest, readAppSource } from './check-manifest.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const real = readAppSource(root);

type Json = Record<string, unknown>;
/** A fresh deep copy of the real app to break one rule in. */
const app = () => structuredClone(real) as { manifest: Json & { author: Json; parameters: Json[]; location: { support: { ticket_sidebar: Json } } }; translations: Record<string, { app: Json & { parameters: Record<string, Json> } }> };

describe('the Zendesk app manifest check', () => {
  it('passes the real manifest.json and en/bg/de translations', () => {
    expect(checkManifest(real.manifest, real.translations)).toEqual({ errors: [] });
    expect(Object.keys(real.translations).sort()).toEqual(['bg', 'de', 'en']);
  });

  it('fails on a manifest missing author.email', () => {
    const { manifest, translations } = app();
    delete manifest.author.email;
    expect(checkManifest(manifest, translations).errors).toEqual(['author.email is required']);
  });

  it('fails on a non-https absolute location URL', () => {
    const { manifest, translations } = app();
    manifest.location.support.ticket_sidebar.url = 'http://relay.example.com/app/ticket_sidebar';
    expect(checkManifest(manifest, translations).errors).toEqual([
      'location.support.ticket_sidebar.url "http://relay.example.com/app/ticket_sidebar" must be an absolute https URL or an assets/ path',
    ]);
  });

  it('accepts a relative assets/ location and refuses one outside assets/', () => {
    const { manifest, translations } = app();
    manifest.location.support.ticket_sidebar.url = 'assets/iframe.html';
    expect(checkManifest(manifest, translations).errors).toEqual([]);
    manifest.location.support.ticket_sidebar.url = 'iframe.html';
    expect(checkManifest(manifest, translations).errors).toHaveLength(1);
    manifest.location.support.ticket_sidebar.url = 'assets/../secret.html';
    expect(checkManifest(manifest, translations).errors).toHaveLength(1);
  });

  it('fails on a translation missing app.name', () => {
    const { manifest, translations } = app();
    delete translations.bg!.app.name;
    expect(checkManifest(manifest, translations).errors).toEqual(['translations/bg.json: app.name is required']);
  });

  it('fails when a parameter label is missing in one locale', () => {
    const { manifest, translations } = app();
    delete translations.de!.app.parameters.relay_url!.label;
    expect(checkManifest(manifest, translations).errors).toEqual(['translations/de.json: app.parameters.relay_url.label is required']);
  });

  it('fails on an unknown parameter type', () => {
    const { manifest, translations } = app();
    manifest.parameters[0]!.type = 'email';
    expect(checkManifest(manifest, translations).errors).toEqual([
      'parameter "relay_url": unknown type "email" (allowed: text, password, checkbox, url, number, multiline, hidden, oauth)',
    ]);
  });

  it('fails on secure set on a checkbox', () => {
    const { manifest, translations } = app();
    manifest.parameters.push({ name: 'send_sms', type: 'checkbox', secure: true });
    for (const t of Object.values(translations)) t.app.parameters.send_sms = { label: 'SMS', helpText: 'Send by SMS' };
    expect(checkManifest(manifest, translations).errors).toEqual(['parameter "send_sms": secure is not allowed on a checkbox parameter']);
  });

  it('requires secrets to be secure parameters without a default', () => {
    const { manifest, translations } = app();
    manifest.parameters.push({ name: 'relay_api_token', type: 'text', default: 'abc' });
    for (const t of Object.values(translations)) t.app.parameters.relay_api_token = { label: 'Token', helpText: 'Token' };
    expect(checkManifest(manifest, translations).errors).toEqual(['parameter "relay_api_token" holds a secret and must be secure']);
    manifest.parameters[1]!.secure = true;
    expect(checkManifest(manifest, translations).errors).toEqual([
      'parameter "relay_api_token": a secure parameter cannot have a default (the manifest is not secret)',
    ]);
  });

  it('fails without the framework version, signed URLs, a ticket sidebar or a required locale', () => {
    const { manifest, translations } = app();
    delete manifest.frameworkVersion;
    manifest.signedUrls = false;
    manifest.location = { support: { top_bar: { url: 'https://relay.example.com/app/top_bar' } } } as never;
    delete translations.bg;
    expect(checkManifest(manifest, translations).errors).toEqual([
      'signedUrls must be true: the relay authenticates agents by signed URLs',
      'frameworkVersion is required',
      'location.support.ticket_sidebar is required: Live Assist lives in the ticket sidebar',
      'translations/bg.json is missing',
    ]);
  });

  it('rejects what is not an object', () => {
    expect(checkManifest([], {}).errors).toEqual(['manifest.json must be a JSON object']);
  });
});
