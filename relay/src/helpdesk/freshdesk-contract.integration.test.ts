import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshdeskSandbox } from '@live-assist/sandbox';
import type { FreshdeskConfig } from '../config/freshdesk.js';
import { startFakeFreshdesk } from '../testing/fakes/freshdesk.js';
import { FreshdeskNoteWriter } from '../writeback/freshdesk-writer.js';
import { noteMarker, withMarker } from '../writeback/marker.js';
import { AgentVerificationError } from './types.js';
import { FreshdeskHelpdesk } from './freshdesk.js';

/**
 * One contract for both Freshdesk stand-ins: the relay's Freshdesk adapter and note writer run the
 * same checks against the sandbox (what `HELPDESK=freshdesk npm start` binds) and the test fake,
 * so neither can drift from what the relay sends and expects.
 */
interface StandIn {
  config: FreshdeskConfig;
  agent: { id: number; name: string; email: string };
  restricted: { id: number; email: string; ownTicket: number; otherTicket: number };
  ticket: { id: number; requesterName: string; requesterLanguage: string };
  /** A ticket's custom field values as the stand-in stored them. */
  customFields(ticketId: number): Promise<Record<string, string | null>>;
  /** Private notes of a ticket as the stand-in stored them. */
  privateNotes(ticketId: number): Promise<{ attachments: { name: string; size: number }[] }[]>;
  close(): Promise<void>;
}

async function sandboxStandIn(): Promise<StandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-contract-'));
  const app = express();
  const mounted: { router?: express.Router } = {};
  app.use((req, res, next) => (mounted.router ? mounted.router(req, res, next) : next()));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = createFreshdeskSandbox({ dbPath: join(dir, 'fd.sqlite'), publicUrl: url });
  mounted.router = sandbox.router;
  const auth = `Basic ${Buffer.from(`${sandbox.helpdesk.apiKey}:X`).toString('base64')}`;
  return {
    config: sandbox.helpdesk,
    agent: { id: 10001, name: 'Maria Petrova', email: 'maria.petrova@example.com' },
    restricted: { id: 10005, email: 'thomas.berger@example.com', ownTicket: 1203, otherTicket: 1201 },
    ticket: { id: 1201, requesterName: 'Georgi Ivanov', requesterLanguage: 'bg' },
    async customFields(ticketId) {
      const res = await fetch(`${url}/api/v2/tickets/${ticketId}`, { headers: { authorization: auth } });
      return ((await res.json()) as { custom_fields: Record<string, string | null> }).custom_fields;
    },
    async privateNotes(ticketId) {
      const res = await fetch(`${url}/api/v2/tickets/${ticketId}/conversations?per_page=100`, { headers: { authorization: auth } });
      return ((await res.json()) as { private: boolean; attachments: { name: string; size: number }[] }[]).filter((c) => c.private);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function fakeStandIn(): Promise<StandIn> {
  const fake = await startFakeFreshdesk({
    tickets: [
      { id: 1, subject: 'Pump', requester: { id: 900, name: 'Rene Requester', email: 'rene@example.com', language: 'de' } },
      { id: 2, subject: 'Other', requester: { id: 901, name: 'Other', email: 'o@example.com', language: 'en' }, responder_id: 43 },
    ],
    agents: [
      { id: 42, name: 'Ada Agent', email: 'ada@example.com', language: 'en', ticket_scope: 1 },
      { id: 43, name: 'Rita Restricted', email: 'rita@example.com', language: 'en', ticket_scope: 3 },
    ],
  });
  return {
    config: fake.config,
    agent: { id: 42, name: 'Ada Agent', email: 'ada@example.com' },
    restricted: { id: 43, email: 'rita@example.com', ownTicket: 2, otherTicket: 1 },
    ticket: { id: 1, requesterName: 'Rene Requester', requesterLanguage: 'de' },
    privateNotes: (ticketId) => Promise.resolve(fake.notes(ticketId)),
    customFields: (ticketId) => Promise.resolve(fake.customFields(ticketId)),
    close: () => fake.close(),
  };
}

describe.each([
  ['the sandbox', sandboxStandIn],
  ['the test fake', fakeStandIn],
])('Freshdesk contract against %s', (_name, start) => {
  let s: StandIn;
  let helpdesk: FreshdeskHelpdesk;
  let writer: FreshdeskNoteWriter;
  beforeAll(async () => {
    s = await start();
    helpdesk = new FreshdeskHelpdesk(s.config);
    writer = new FreshdeskNoteWriter({ baseUrl: s.config.baseUrl, apiKey: s.config.apiKey });
  });
  afterAll(() => s?.close());

  it('reads a ticket with its requester and the requester language', async () => {
    expect(await helpdesk.getTicket(s.ticket.id)).toMatchObject({
      id: s.ticket.id,
      requester: { name: s.ticket.requesterName, locale: s.ticket.requesterLanguage },
    });
    expect(await helpdesk.getTicket(987_654)).toBeNull();
  });

  it('verifies an agent by the installation secret and the email, and refuses a wrong secret', async () => {
    const credential = { kind: 'install-secret' as const, secret: s.config.appSecret, agentId: String(s.agent.id), email: s.agent.email };
    expect(await helpdesk.verifyAgent(credential, 'ticket_sidebar')).toMatchObject({ agentId: String(s.agent.id), name: s.agent.name });
    await expect(helpdesk.verifyAgent({ ...credential, secret: 'w'.repeat(40) }, 'ticket_sidebar')).rejects.toThrow(AgentVerificationError);
  });

  it('applies ticket scope: global sees all, restricted only its own', async () => {
    expect(await helpdesk.ticketAccess(String(s.agent.id), s.ticket.id)).toBe('allowed');
    expect(await helpdesk.ticketAccess(String(s.restricted.id), s.restricted.ownTicket)).toBe('allowed');
    expect(await helpdesk.ticketAccess(String(s.restricted.id), s.restricted.otherTicket)).toBe('forbidden');
    expect(await helpdesk.ticketAccess(String(s.agent.id), 987_654)).toBe('not-found');
  });

  it('writes nameplate values to the mapped custom fields; an unknown field or a refused value costs only its own', async () => {
    const mapped = new FreshdeskNoteWriter({
      baseUrl: s.config.baseUrl,
      apiKey: s.config.apiKey,
      ticketFields: { serial: 'cf_serial_number', model: 'cf_no_such_field', date: 'cf_warranty_until' },
    });
    const result = await mapped.writeTicketFields(s.ticket.id, { model: 'Para 25/6', serial: 'FD-1', date: '03/2021' });
    expect(result.written).toEqual(['serial']);
    expect(result.refused.map((r) => r.field).sort()).toEqual(['date', 'model']);
    expect(result.refused.find((r) => r.field === 'model')?.reason).toMatch(/invalid_field|Unexpected\/invalid field/);
    const fields = await s.customFields(s.ticket.id);
    expect(fields.cf_serial_number).toBe('FD-1');
    expect(fields.cf_warranty_until ?? null).toBeNull();
    // The unmapping writer leaves the ticket alone.
    expect(await writer.writeTicketFields(s.ticket.id, { serial: 'FD-2' })).toEqual({ written: [], refused: [] });
    expect((await s.customFields(s.ticket.id)).cf_serial_number).toBe('FD-1');
  });

  it('writes a public reply', async () => {
    await expect(
      helpdesk.addPublicComment(s.ticket.id, { html: '<p>Join the call</p>', authorId: String(s.agent.id) }),
    ).resolves.toBeUndefined();
  });

  it('writes one private note with its files and finds it again by its marker', async () => {
    const marker = 'contract-op-1';
    expect(await writer.findNoteWithMarker(s.ticket.id, noteMarker(marker))).toBe(false);
    const files = [
      { fileName: 'photo-1.jpg', contentType: 'image/jpeg', data: new Uint8Array(3000) },
      { fileName: 'snapshot-1.png', contentType: 'image/png', data: new Uint8Array(4000) },
    ];
    const fitted = await writer.fitToTicket(s.ticket.id, files);
    expect(fitted.left).toEqual([]);
    await writer.addNoteWithFiles(s.ticket.id, withMarker('<p>Call summary</p>', marker), fitted.files, { authorId: s.agent.id });
    expect(await writer.findNoteWithMarker(s.ticket.id, noteMarker(marker))).toBe(true);
    const notes = await s.privateNotes(s.ticket.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.attachments.map((a) => [a.name, a.size])).toEqual([
      ['photo-1.jpg', 3000],
      ['snapshot-1.png', 4000],
    ]);
  });
});
