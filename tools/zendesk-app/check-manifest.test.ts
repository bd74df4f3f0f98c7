import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifest, duplicateKeys, readAppSource } from './check-manifest.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const real = readAppSource(root);

type Json = Record<string, unknown>;
/** A fresh deep copy of the real app to break one rule in. */
const app = () =>
  structuredClone(real) as {
    manifest: Json & { author: Json; parameters: Json[]; location: { support: { ticket_sidebar: Json } & Json } };
    translations: Record<string, { app: Json & { parameters: Record<string, Json> } }>;
  };

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
    // A Zendesk-hosted page is allowed only while no server-side modal is declared.
    delete (manifest.location.support as Json).modal;
    (manifest.location.support as Json).top_bar = { url: 'assets/iframe.html' };
    expect(checkManifest(manifest, translations).errors).toEqual([
      'location.support.modal is required: the specialist console is a signed server-side modal',
    ]);
    delete (manifest.location.support as Json).top_bar;
    manifest.location.support.ticket_sidebar.url = 'iframe.html';
    expect(checkManifest(manifest, translations).errors).toContain(
      'location.support.ticket_sidebar.url "iframe.html" must be an absolute https URL or a path under assets/',
    );
    manifest.location.support.ticket_sidebar.url = 'assets/../secret.html';
    expect(checkManifest(manifest, translations).errors).toHaveLength(2);
  });

  it('follows the validator: a server-side modal makes every location server-side; signed per location; 3-letter locales', () => {
    const { manifest, translations } = app();
    manifest.location.support.ticket_sidebar.url = 'assets/iframe.html';
    expect(checkManifest(manifest, translations).errors).toEqual([
      'location.support.ticket_sidebar: with a server-side modal every location must be server-side (got assets/iframe.html)',
    ]);
    const fresh = app();
    fresh.manifest.location.support.ticket_sidebar.signed = true;
    fresh.translations.fil = structuredClone(fresh.translations.en!);
    expect(checkManifest(fresh.manifest, fresh.translations).errors).toEqual([]);
    fresh.manifest.location.support.ticket_sidebar.signed = 'yes';
    expect(checkManifest(fresh.manifest, fresh.translations).errors).toEqual([
      'location.support.ticket_sidebar.signed must be true or false',
    ]);
  });

  it('finds duplicate keys, which JSON.parse would hide', () => {
    expect(duplicateKeys('{"a":1,"b":{"a":2,"c":[{"a":1}]},"a":3}')).toEqual(['a']);
    expect(duplicateKeys('{"location":{"support":{"modal":"x","modal":"y"}}}')).toEqual(['modal']);
    expect(duplicateKeys('{"k":"a\\"b","v":"{\\"k\\":1}"}')).toEqual([]);
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
      'parameter "relay_url": unknown type "email" (allowed: text, checkbox, url, number, multiline, hidden, oauth, mtls)',
    ]);
    // Zendesk's validator dropped `password`.
    manifest.parameters[0]!.type = 'password';
    expect(checkManifest(manifest, translations).errors).toEqual([
      'parameter "relay_url": unknown type "password" (allowed: text, checkbox, url, number, multiline, hidden, oauth, mtls)',
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
    manifest.parameters.at(-1)!.secure = true;
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
      'location.support.modal is required: the specialist console is a signed server-side modal',
      'translations/bg.json is missing',
    ]);
  });

  it('rejects what is not an object', () => {
    expect(checkManifest([], {}).errors).toEqual(['manifest.json must be a JSON object']);
  });
});
