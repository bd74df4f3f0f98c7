import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type CallNoteView, type JoinResponse, type NameplateValues, type SessionView } from '@live-assist/protocol';
import { freshdeskSandboxForRelay, type RelayFreshdeskSandbox } from '@live-assist/sandbox';
import { loadConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { waitFor } from '../testing/harness.js';
import { TestSocket } from '../testing/ws-client.js';

/**
 * The nameplate mapping from the Freshdesk app's settings: the installation's iparams map only the
 * serial, the relay's FRESHDESK_NAMEPLATE_* only the date. The app signs in through the sandbox's
 * request-template proxy (the real freshdesk-app/config/requests.json), which renders the mapping
 * into headers; from then on the installation's mapping, not the environment's, decides.
 */

let dir: string;
let relay: RunningServer;
let sandbox: RelayFreshdeskSandbox;
const warnings: string[] = [];
const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-iparams-'));
  const config = loadConfig({ HELPDESK: 'freshdesk', PORT: '0', DATA_DIR: dir });
  sandbox = freshdeskSandboxForRelay({
    dataDir: dir,
    nameplateFields: { date: 'cf_production_date' },
    installationSettings: { nameplate_serial_field: 'cf_serial_number', nameplate_model_field: '', nameplate_date_field: '' },
  });
  relay = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind, log, processMetrics: false });
});

afterAll(async () => {
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit & { bearer?: string; json?: unknown } = {}) => {
  const headers = new Headers(init.headers);
  if (init.bearer) headers.set('Authorization', `Bearer ${init.bearer}`);
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`${relay.url}${path}`, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
};

const signInBody = (ticketId: number) => ({
  agentId: '10001',
  agentEmail: 'maria.petrova@example.com',
  ticketId,
  account: sandbox.helpdesk().domain,
});

/** The app's `laSignIn`, invoked on the sandbox's ticket page as the Freshworks client would. */
async function signInThroughTemplate(ticketId: number): Promise<string> {
  const page = await fetch(`${relay.url}/sandbox/freshdesk/tickets/${ticketId}`);
  expect(page.status).toBe(200);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${relay.url}/sandbox/freshdesk/api/invoke`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'laSignIn', options: { body: JSON.stringify(signInBody(ticketId)) } }),
  });
  const out = (await res.json()) as { ok: boolean; result: { status: number; response: string } };
  expect(out.result.status).toBe(200);
  return (JSON.parse(out.result.response) as { agentToken: string }).agentToken;
}

async function connect(token: string): Promise<TestSocket> {
  const socket = await TestSocket.open(`${relay.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  await socket.next('welcome');
  return socket;
}

/** A call on the ticket in which the specialist confirms one plate; answers once the note is written. */
async function callWithPlate(agent: string, ticketId: number, values: NameplateValues): Promise<void> {
  const view = (await (await api('/api/sessions', { method: 'POST', bearer: agent, json: { ticketId } })).json()) as SessionView;
  const invite = view.inviteUrl.slice(view.inviteUrl.lastIndexOf('/') + 1);
  const joined = await api(`/api/invites/${invite}/join`, {
    method: 'POST',
    json: { acceptedPolicy: true, policyVersion: '2024-01', locale: 'en-US', consentText: 'I accept the privacy policy' },
  });
  const { participantToken } = (await joined.json()) as JoinResponse;
  const specialist = await connect(view.specialistToken!);
  const customer = await connect(participantToken);
  try {
    const crop = new Uint8Array(
      await sharp({ create: { width: 40, height: 16, channels: 3, background: '#654' } })
        .jpeg()
        .toBuffer(),
    );
    const up = await api(`/api/sessions/${view.sessionId}/uploads?purpose=nameplate`, {
      method: 'POST',
      bearer: view.specialistToken!,
      body: crop,
    });
    expect(up.status).toBe(201);
    const uploadId = ((await up.json()) as { upload: { id: string } }).upload.id;
    specialist.send({ type: 'nameplate-confirm', uploadId, values });
    await specialist.next('nameplate-saved');
    expect((await api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
  } finally {
    specialist.close();
    customer.close();
  }
  await waitFor(
    'the call note to be written',
    async () =>
      ((await (await api(`/api/sessions/${view.sessionId}/note`, { bearer: agent })).json()) as CallNoteView).note.state === 'done',
    20_000,
  );
}

/** The ticket's custom fields once the fields operation has run (it is queued with the note). */
async function customFields(ticketId: number, field: string, expected: string | null): Promise<Record<string, string | null>> {
  let fields: Record<string, string | null> = {};
  await waitFor(
    `ticket ${ticketId}'s ${field} to be ${String(expected)}`,
    async () => {
      const res = await fetch(`${relay.url}/api/v2/tickets/${ticketId}`, { headers: { Authorization: sandbox.authorization() } });
      fields = ((await res.json()) as { custom_fields: Record<string, string | null> }).custom_fields;
      return fields[field] === expected;
    },
    20_000,
  );
  return fields;
}

const PLATE = { model: 'Stratos 30/1-8', serial: 'FD-IP-4711', date: '11/2022' };

describe("the nameplate mapping from the Freshdesk app's settings", () => {
  it('signed in through the template: the serial goes to the field the installation maps, the env-mapped date does not', async () => {
    const agent = await signInThroughTemplate(1201);
    await callWithPlate(agent, 1201, PLATE);
    const fields = await customFields(1201, 'cf_serial_number', PLATE.serial);
    // The installation's mapping replaces the environment's whole: the date stays unwritten.
    expect(fields).toEqual({ cf_pump_model: null, cf_serial_number: PLATE.serial, cf_production_date: null, cf_warranty_until: null });
  }, 60_000);

  it('a setting that is no custom field name: the sign-in goes through, that field is not written, the others are', async () => {
    warnings.length = 0;
    const res = await api('/api/app/agent-session', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sandbox.helpdesk().appSecret}`,
        'X-Live-Assist-Nameplate-Model': 'cf_pump_model',
        'X-Live-Assist-Nameplate-Serial': 'Serial number',
        'X-Live-Assist-Nameplate-Date': '',
      },
      json: signInBody(1203),
    });
    expect(res.status).toBe(200);
    expect(warnings.some((w) => w.includes('serial setting "Serial number" is no custom ticket field name'))).toBe(true);
    const agent = ((await res.json()) as { agentToken: string }).agentToken;
    await callWithPlate(agent, 1203, PLATE);
    const fields = await customFields(1203, 'cf_pump_model', PLATE.model);
    expect(fields).toEqual({ cf_pump_model: PLATE.model, cf_serial_number: null, cf_production_date: null, cf_warranty_until: null });
  }, 60_000);
});
