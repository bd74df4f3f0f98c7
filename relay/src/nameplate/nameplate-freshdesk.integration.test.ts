import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type AppSignInResponse, type CallNoteView, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { freshdeskSandboxForRelay, type RelayFreshdeskSandbox } from '@live-assist/sandbox';
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { waitFor } from '../testing/harness.js';
import { TestSocket } from '../testing/ws-client.js';
import { callNoteKey, ticketFieldsKey } from '../writeback/call-notes.js';
import { noteMarker } from '../writeback/marker.js';

/**
 * The relay bound to the Freshdesk sandbox with FRESHDESK_NAMEPLATE_* as an admin would set them:
 * the serial to the account's `cf_serial_number`, the model to a field the account does not have,
 * the date to none. After the call: the note with the plate and its crop, the serial in its field.
 */
const TICKET = 1202;
let dir: string;
let relay: RunningServer;
let sandbox: RelayFreshdeskSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-nameplate-'));
  const config = loadConfig({ HELPDESK: 'freshdesk', PORT: '0', DATA_DIR: dir });
  sandbox = freshdeskSandboxForRelay({ dataDir: dir, nameplateFields: { serial: 'cf_serial_number', model: 'cf_no_such_field' } });
  relay = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind, log: silentLogger, processMetrics: false });
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
const freshdesk = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${relay.url}/api/v2${path}`, { headers: { Authorization: sandbox.authorization() } })).json()) as T;

async function connect(token: string): Promise<TestSocket> {
  const socket = await TestSocket.open(`${relay.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  await socket.next('welcome');
  return socket;
}

describe('a nameplate on the relay bound to the Freshdesk sandbox', () => {
  it('goes into the private note with its crop, and the serial into the mapped custom field', async () => {
    const account = sandbox.helpdesk();
    const signIn = await api('/api/app/agent-session', {
      method: 'POST',
      headers: { Authorization: `Bearer ${account.appSecret}` },
      json: { agentId: '10001', agentEmail: 'maria.petrova@example.com', ticketId: TICKET, account: account.domain },
    });
    const agent = ((await signIn.json()) as AppSignInResponse).agentToken;
    const view = (await (await api('/api/sessions', { method: 'POST', bearer: agent, json: { ticketId: TICKET } })).json()) as SessionView;
    const invite = view.inviteUrl.slice(view.inviteUrl.lastIndexOf('/') + 1);
    const joined = await api(`/api/invites/${invite}/join`, {
      method: 'POST',
      json: { acceptedPolicy: true, policyVersion: '2024-01', locale: 'en-US', consentText: 'I accept the privacy policy' },
    });
    const { participantToken } = (await joined.json()) as JoinResponse;
    const specialist = await connect(view.specialistToken!);
    const customer = await connect(participantToken);

    const bytes = new Uint8Array(
      await sharp({ create: { width: 40, height: 16, channels: 3, background: '#456' } })
        .jpeg()
        .toBuffer(),
    );
    const up = await api(`/api/sessions/${view.sessionId}/uploads?purpose=nameplate`, {
      method: 'POST',
      bearer: view.specialistToken!,
      body: bytes,
    });
    expect(up.status).toBe(201);
    const uploadId = ((await up.json()) as { upload: { id: string } }).upload.id;
    specialist.send({ type: 'nameplate-confirm', uploadId, values: { model: 'Para 25/6', serial: 'FD-778-01', date: '03/2021' } });
    expect((await specialist.next('nameplate-saved')).values.serial).toBe('FD-778-01');

    expect((await api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    specialist.close();
    customer.close();
    const fieldsOp = () => {
      const db = new Database(join(dir, 'relay.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT status, last_error FROM writeback_ops WHERE op_key = ?').get(ticketFieldsKey(view.sessionId)) as
          { status: string; last_error: string | null } | undefined;
      } finally {
        db.close();
      }
    };
    await waitFor(
      'the note and the ticket fields to be written',
      async () =>
        ((await (await api(`/api/sessions/${view.sessionId}/note`, { bearer: agent })).json()) as CallNoteView).note.state === 'done' &&
        fieldsOp()?.status === 'done',
      20_000,
    );

    const notes = (
      await freshdesk<{ private: boolean; body: string; body_text: string; attachments: { name: string }[] }[]>(
        `/tickets/${TICKET}/conversations?per_page=100`,
      )
    ).filter((c) => c.private && c.body_text.includes(noteMarker(callNoteKey(view.sessionId))));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('<strong>Serial number:</strong> FD-778-01');
    expect(notes[0]!.body).toContain('<strong>Production date:</strong> 03/2021');
    expect(notes[0]!.attachments.map((a) => a.name)).toEqual(['nameplate-1.jpg']);

    const ticket = await freshdesk<{ custom_fields: Record<string, string | null> }>(`/tickets/${TICKET}`);
    expect(ticket.custom_fields).toEqual({
      cf_pump_model: null,
      cf_serial_number: 'FD-778-01',
      cf_production_date: null,
      cf_warranty_until: null,
    });
    expect(fieldsOp()?.last_error).toMatch(/^model: .*cf_no_such_field/);
  }, 60_000);
});
