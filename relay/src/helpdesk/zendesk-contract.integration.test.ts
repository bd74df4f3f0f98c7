import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_TICKET_FIELDS } from '@live-assist/sandbox';
import type { ZendeskConfig } from '../config/helpdesk.js';
import { DEFAULT_AGENT, FAKE_TICKET_FIELDS, startFakeZendesk } from '../testing/fakes/zendesk.js';
import { noteMarker, withMarker } from '../writeback/marker.js';
import { ZendeskNoteWriter } from '../writeback/zendesk-writer.js';
import { NotAnAgentError } from './types.js';
import { ZendeskHelpdesk } from './zendesk.js';

/**
 * One contract for both Zendesk stand-ins: the relay's own Zendesk client runs the same checks
 * against the sandbox and against the test fake, so neither can drift from what the client expects.
 */
interface StandIn {
  config: ZendeskConfig;
  /** A signed-URL token for `agentId` at `location`, as Zendesk would POST it. */
  sign(agentId: number, location: string): Promise<string>;
  /** Every user, ticket and expectation the contract uses. */
  agent: { id: number; name: string };
  restricted: { id: number; ownTicket: number; otherTicket: number };
  ticket: { id: number; requesterName: string };
  /** The last public comment written, as the stand-in stored it. */
  lastComment(ticketId: number): Promise<{ author_id: number; html: string }>;
  /** A text custom field and a date one the account has. */
  fields: { text: number; date: number };
  /** The app installation's settings as the admin saves them. */
  setSettings(settings: Record<string, string | number | null>): Promise<void>;
  /** A ticket's custom field value as the stand-in stored it. */
  fieldValue(ticketId: number, fieldId: number): Promise<string | null>;
  close(): Promise<void>;
}

async function sandboxStandIn(): Promise<StandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'contract-sandbox-'));
  const app = express();
  const mounted: { router?: express.Router } = {};
  app.use((req, res, next) => (mounted.router ? mounted.router(req, res, next) : next()));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = await createSandbox({ dbPath: join(dir, 'sandbox.db'), publicUrl: base, appUrl: `${base}/app` });
  mounted.router = sandbox.router;
  const auth = `Basic ${Buffer.from(`${sandbox.helpdesk.email}/token:${sandbox.helpdesk.apiToken}`).toString('base64')}`;
  const cookie = (await fetch(`${base}/sandbox/`)).headers.get('set-cookie')?.split(';')[0] ?? '';
  return {
    config: { ...sandbox.helpdesk },
    async sign(agentId, location) {
      const res = await fetch(`${base}/sandbox/api/app-token`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ location, ticketId: 1201, agentId }),
      });
      return ((await res.json()) as { token: string }).token;
    },
    agent: { id: 10001, name: 'Maria Petrova' },
    restricted: { id: 10005, ownTicket: 1203, otherTicket: 1201 },
    ticket: { id: 1201, requesterName: 'Georgi Ivanov' },
    fields: { text: SANDBOX_TICKET_FIELDS.serial.id, date: SANDBOX_TICKET_FIELDS.warrantyUntil.id },
    async setSettings(settings) {
      const res = await fetch(`${base}/api/v2/apps/installations/${sandbox.helpdesk.installationId}.json`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ settings }),
      });
      expect(res.status).toBe(200);
    },
    async fieldValue(ticketId, fieldId) {
      const res = await fetch(`${base}/api/v2/tickets/${ticketId}.json`, { headers: { authorization: auth } });
      const { ticket } = (await res.json()) as { ticket: { custom_fields: { id: number; value: string | null }[] } };
      return ticket.custom_fields.find((f) => f.id === fieldId)?.value ?? null;
    },
    async lastComment(ticketId) {
      const res = await fetch(`${base}/api/v2/tickets/${ticketId}/comments.json?sort_order=desc&per_page=1`, {
        headers: { authorization: auth },
      });
      const [c] = ((await res.json()) as { comments: { author_id: number; html_body: string }[] }).comments;
      return { author_id: c!.author_id, html: c!.html_body };
    },
    async close() {
      sandbox.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function fakeStandIn(): Promise<StandIn> {
  const fake = await startFakeZendesk({
    tickets: [
      { id: 1, subject: 'Noise', requester: { id: 501, name: 'Carla Customer', email: 'carla@example.com', locale: 'de' }, group_id: 10 },
      { id: 2, subject: 'Other', requester: { id: 502, name: 'Bob', email: 'bob@example.com', locale: 'en' }, group_id: 20 },
    ],
    users: [
      DEFAULT_AGENT,
      {
        id: 43,
        name: 'Rita Restricted',
        email: 'rita@example.com',
        locale: 'de',
        role: 'agent',
        ticket_restriction: 'groups',
        groupIds: [20],
      },
    ],
  });
  return {
    config: fake.config,
    sign: (agentId, location) => fake.sign({ sub: String(agentId), location }),
    agent: { id: DEFAULT_AGENT.id, name: DEFAULT_AGENT.name },
    restricted: { id: 43, ownTicket: 2, otherTicket: 1 },
    ticket: { id: 1, requesterName: 'Carla Customer' },
    async lastComment(ticketId) {
      const c = fake.comments(ticketId).at(-1);
      return { author_id: c!.author_id!, html: c!.html_body };
    },
    fields: { text: FAKE_TICKET_FIELDS.serial.id, date: FAKE_TICKET_FIELDS.warranty.id },
    setSettings(settings) {
      for (const [key, value] of Object.entries(settings)) {
        if (value === null) delete fake.settings[key];
        else fake.settings[key] = value;
      }
      return Promise.resolve();
    },
    fieldValue: (ticketId, fieldId) => Promise.resolve(fake.fieldValues(ticketId).get(fieldId) ?? null),
    close: () => fake.close(),
  };
}

describe.each([
  ['the sandbox', sandboxStandIn],
  ['the test fake', fakeStandIn],
])("the relay's Zendesk client against %s", (_name, start) => {
  let standIn: StandIn;
  let client: ZendeskHelpdesk;
  beforeAll(async () => {
    standIn = await start();
    client = new ZendeskHelpdesk(standIn.config);
  });
  afterAll(() => standIn.close());

  it('reads a ticket and its requester', async () => {
    const ticket = await client.getTicket(standIn.ticket.id);
    expect(ticket?.requester.name).toBe(standIn.ticket.requesterName);
    expect(await client.getTicket(424242)).toBeNull();
  });

  it("verifies a signed load and reads the agent's name from the users API", async () => {
    const agent = await client.verifyAgent(
      { kind: 'signed-launch', token: await standIn.sign(standIn.agent.id, 'ticket_sidebar') },
      'ticket_sidebar',
    );
    expect(agent).toMatchObject({ agentId: String(standIn.agent.id), name: standIn.agent.name });
    await expect(
      client.verifyAgent({ kind: 'signed-launch', token: await standIn.sign(standIn.agent.id, 'ticket_sidebar') }, 'modal'),
    ).rejects.toThrow(/not modal/);
  });

  it("applies a group-restricted agent's ticket_restriction", async () => {
    const { id, ownTicket, otherTicket } = standIn.restricted;
    expect(await client.ticketAccess(String(id), ownTicket)).toBe('allowed');
    expect(await client.ticketAccess(String(id), otherTicket)).toBe('forbidden');
    expect(await client.ticketAccess(String(standIn.agent.id), otherTicket)).toBe('allowed');
    expect(await client.ticketAccess(String(id), 424242)).toBe('not-found');
  });

  it('writes nameplate values to the ticket fields the installation settings map; a bad mapping costs only its own value', async () => {
    const writer = new ZendeskNoteWriter({
      baseUrl: standIn.config.baseUrl,
      auth: { kind: 'api_token', email: standIn.config.email, apiToken: standIn.config.apiToken },
      installationId: standIn.config.installationId,
    });
    const values = { model: 'Stratos MAXO', serial: 'SN 2231-0042', date: '07/2019' };
    // Serial to a text field; model to an id the account lacks; date to a date field, which refuses "07/2019".
    await standIn.setSettings({
      nameplate_serial_field: standIn.fields.text,
      nameplate_model_field: 987654321,
      nameplate_date_field: String(standIn.fields.date),
    });
    const result = await writer.writeTicketFields(standIn.ticket.id, values);
    expect(result.written).toEqual(['serial']);
    expect(result.refused.map((r) => r.field).sort()).toEqual(['date', 'model']);
    expect(await standIn.fieldValue(standIn.ticket.id, standIn.fields.text)).toBe('SN 2231-0042');
    expect(await standIn.fieldValue(standIn.ticket.id, standIn.fields.date)).toBeNull();
    // Nothing mapped: nothing written, nothing refused.
    await standIn.setSettings({ nameplate_serial_field: null, nameplate_model_field: null, nameplate_date_field: null });
    expect(await writer.writeTicketFields(standIn.ticket.id, { serial: 'other' })).toEqual({ written: [], refused: [] });
    expect(await standIn.fieldValue(standIn.ticket.id, standIn.fields.text)).toBe('SN 2231-0042');
  });

  it('writes a public comment as the agent (author_id)', async () => {
    await client.addPublicComment(standIn.ticket.id, { html: '<p>Join the call</p>', authorId: String(standIn.restricted.id) });
    const comment = await standIn.lastComment(standIn.ticket.id);
    expect(comment.author_id).toBe(standIn.restricted.id);
    expect(comment.html).toContain('Join the call');
  });
});

describe("the relay's Zendesk client, beyond what either stand-in signs", () => {
  // The sandbox, like Zendesk, never signs a load for a non-agent; the fake can, to prove the refusal.
  it('refuses a token naming a user who is not an agent', async () => {
    const standIn = await fakeStandIn();
    try {
      const client = new ZendeskHelpdesk(standIn.config);
      await expect(
        client.verifyAgent({ kind: 'signed-launch', token: await standIn.sign(999_999, 'ticket_sidebar') }, 'ticket_sidebar'),
      ).rejects.toBeInstanceOf(NotAnAgentError);
    } finally {
      await standIn.close();
    }
  });
});

/** The note writer's view of a stand-in: where to write notes, and the raw API to probe it. */
interface NoteStandIn {
  baseUrl: string;
  email: string;
  apiToken: string;
  ticketId: number;
  close(): Promise<void>;
}

async function sandboxNotes(): Promise<NoteStandIn> {
  const s = await sandboxStandIn();
  return { baseUrl: s.config.baseUrl, email: s.config.email, apiToken: s.config.apiToken, ticketId: s.ticket.id, close: () => s.close() };
}

async function fakeNotes(): Promise<NoteStandIn> {
  const s = await fakeStandIn();
  return { baseUrl: s.config.baseUrl, email: s.config.email, apiToken: s.config.apiToken, ticketId: s.ticket.id, close: () => s.close() };
}

describe.each([
  ['the sandbox', sandboxNotes],
  ['the test fake', fakeNotes],
])("the relay's marker search against %s", (_name, start) => {
  let standIn: NoteStandIn;
  let pages: string[];
  let writer: ZendeskNoteWriter;
  const basic = () => `Basic ${Buffer.from(`${standIn.email}/token:${standIn.apiToken}`).toString('base64')}`;
  const get = (url: string) => fetch(url.startsWith('http') ? url : `${standIn.baseUrl}${url}`, { headers: { authorization: basic() } });
  beforeAll(async () => {
    standIn = await start();
    pages = [];
    const counting: typeof fetch = (input, init) => {
      pages.push(String(input));
      return fetch(input, init);
    };
    writer = new ZendeskNoteWriter({
      baseUrl: standIn.baseUrl,
      auth: { kind: 'api_token', email: standIn.email, apiToken: standIn.apiToken },
      fetch: counting,
    });
    // More than one page of 100: a search oldest first would need a second page for the newest note.
    for (let i = 0; i < 120; i += 1) await writer.addInternalNote(standIn.ticketId, withMarker(`<p>older ${i}</p>`, `contract:${i}`), []);
  }, 60_000);
  afterAll(() => standIn.close());

  it('finds the newest note on the first page of a long ticket', async () => {
    pages.length = 0;
    expect(await writer.findNoteWithMarker(standIn.ticketId, noteMarker('contract:119'))).toBe(true);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('sort_order=desc');
  });

  it('follows links.next while meta.has_more, and stops at comments older than the session', async () => {
    pages.length = 0;
    expect(await writer.findNoteWithMarker(standIn.ticketId, noteMarker('contract:0'))).toBe(true);
    expect(pages).toHaveLength(2);
    pages.length = 0;
    expect(await writer.findNoteWithMarker(standIn.ticketId, noteMarker('missing'), { since: Date.now() + 3_600_000 })).toBe(false);
    expect(pages).toHaveLength(1);
  });

  it('pages with cursors like Zendesk and refuses a page[size] above 100', async () => {
    const path = `/api/v2/tickets/${standIn.ticketId}/comments.json`;
    const first = (await (await get(`${path}?page[size]=100&sort_order=desc`)).json()) as {
      comments: unknown[];
      meta: { has_more: boolean; after_cursor: string };
      links: { next: string };
    };
    expect(first.comments).toHaveLength(100);
    expect(first.meta.has_more).toBe(true);
    expect(new URL(first.links.next).searchParams.get('page[after]')).toBe(first.meta.after_cursor);
    const rest = (await (await get(first.links.next)).json()) as {
      comments: unknown[];
      meta: { has_more: boolean };
    };
    expect(rest.meta.has_more).toBe(false);
    expect(rest.comments.length).toBeGreaterThanOrEqual(20);
    expect((await get(`${path}?page[size]=101`)).status).toBe(400);
    expect((await get(`${path}?page[size]=100&page[after]=not-a-cursor`)).status).toBe(400);
  });
});
