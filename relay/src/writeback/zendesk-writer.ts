import type { NameplateValues } from '@live-assist/protocol';
import { z } from 'zod';
import { presentValues, writeMapped, ZENDESK_NAMEPLATE_SETTINGS, type MappedValue } from './ticket-fields.js';
import { ZENDESK_COMMENT_LIMITS } from './limits.js';
import { containsMarker } from './marker.js';
import { sendWriteRequest, writeFailureOf } from './write-request.js';
import {
  HelpdeskWriteError,
  WriteFailure,
  type UploadingNoteWriter,
  type FindNoteOptions,
  type NoteAttachmentFile,
  type NoteWriteOptions,
  type TicketFieldsResult,
  type WriteOptions,
} from './types.js';

export type ZendeskAuth = { kind: 'api_token'; email: string; apiToken: string } | { kind: 'oauth'; accessToken: string };

export interface ZendeskNoteWriterConfig {
  /** e.g. https://acme.zendesk.com (or the sandbox's base URL). */
  baseUrl: string;
  auth: ZendeskAuth;
  /**
   * The app installation whose settings map nameplate values to ticket fields (read at write
   * time with the API credentials); without it no ticket field is written.
   */
  installationId?: number;
  /** Per request; uploads of large photos need more than a JSON call. Default 30 s. */
  requestTimeoutMs?: number;
  /** Bound on comment pages read while looking for a marker. Default 50. */
  maxCommentPages?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Added to every ticket that gets a call note. */
export const NOTE_TAG = 'live_assist';

const UploadResponse = z.object({ upload: z.object({ token: z.string().min(1) }) });

const CommentsPage = z.object({
  comments: z.array(
    z.object({
      body: z.string().nullable().optional(),
      html_body: z.string().nullable().optional(),
      plain_body: z.string().nullable().optional(),
      created_at: z.string().nullable().optional(),
    }),
  ),
  meta: z.object({ has_more: z.boolean() }),
  links: z.object({ next: z.string().nullable().optional() }),
});

/** Show App Installation answers the installation itself; a `{ installation }` wrapper is read too. */
const InstallationResponse = z.union([
  z.object({ installation: z.object({ settings: z.record(z.string(), z.unknown()).nullable().optional() }) }),
  z.object({ settings: z.record(z.string(), z.unknown()).nullable().optional() }),
]);

/** A custom field id as an admin enters it: a number setting, or digits in a text one. */
function fieldIdOf(setting: unknown): number | null {
  const text = typeof setting === 'number' ? String(setting) : typeof setting === 'string' ? setting.trim() : '';
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

/** Zendesk's largest cursor page for List Comments. */
const COMMENTS_PAGE_SIZE = 100;

/** Zendesk Support REST API: uploads, internal notes via ticket update, comment listing. */
export class ZendeskNoteWriter implements UploadingNoteWriter {
  readonly commentLimits = ZENDESK_COMMENT_LIMITS;
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxPages: number;

  constructor(private readonly config: ZendeskNoteWriterConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.fetchImpl = config.fetch ?? fetch;
    this.now = config.now ?? Date.now;
    this.timeoutMs = config.requestTimeoutMs ?? 30_000;
    this.maxPages = config.maxCommentPages ?? 50;
  }

  private get authorization(): string {
    const { auth } = this.config;
    if (auth.kind === 'oauth') return `Bearer ${auth.accessToken}`;
    return `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`, 'utf8').toString('base64')}`;
  }

  private async request(what: string, url: string, init: RequestInit, options: WriteOptions): Promise<Response> {
    const res = await sendWriteRequest(
      { fetch: this.fetchImpl, authorization: this.authorization, timeoutMs: this.timeoutMs },
      what,
      url,
      init,
      options,
    );
    if (res.ok) return res;
    const detail = await res
      .text()
      .then((t) => t.slice(0, 300))
      .catch(() => '');
    const message = `${what} answered ${res.status}${detail ? `: ${detail}` : ''}`;
    throw writeFailureOf(res, message, this.now());
  }

  private async json<T>(what: string, res: Response, schema: z.ZodType<T>): Promise<T> {
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HelpdeskWriteError(`${what} sent an unexpected body`, WriteFailure.Unavailable);
    return parsed.data;
  }

  async uploadAttachment(file: NoteAttachmentFile, options: WriteOptions = {}): Promise<string> {
    const what = `upload of ${file.fileName}`;
    const url = `${this.baseUrl}/api/v2/uploads.json?filename=${encodeURIComponent(file.fileName)}`;
    const res = await this.request(what, url, { method: 'POST', headers: { 'Content-Type': file.contentType }, body: file.data }, options);
    return (await this.json(what, res, UploadResponse)).upload.token;
  }

  async addInternalNote(ticketId: number, html: string, uploadTokens: readonly string[], options: NoteWriteOptions = {}): Promise<void> {
    const author = options.authorId !== undefined ? { author_id: options.authorId } : {};
    // The tag rides on the same update, so admins can build views and reports of assisted tickets.
    const body = {
      ticket: { comment: { html_body: html, public: false, uploads: [...uploadTokens], ...author }, additional_tags: [NOTE_TAG] },
    };
    await this.request(
      `note on ticket ${ticketId}`,
      `${this.baseUrl}/api/v2/tickets/${ticketId}.json`,
      { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      options,
    );
  }

  /**
   * The admin's mapping is read from the installation's settings now, on every try: the agent's
   * browser never names a field, and a mapping changed since the call counts. An unset setting
   * leaves its field alone; one that is not a field id is reported, not written.
   */
  async writeTicketFields(ticketId: number, values: NameplateValues, options: WriteOptions = {}): Promise<TicketFieldsResult> {
    if (this.config.installationId === undefined) return { written: [], refused: [] };
    const what = `settings of app installation ${this.config.installationId}`;
    const answer = await this.json(
      what,
      await this.request(what, `${this.baseUrl}/api/v2/apps/installations/${this.config.installationId}.json`, { method: 'GET' }, options),
      InstallationResponse,
    );
    const settings = ('installation' in answer ? answer.installation.settings : answer.settings) ?? {};
    const mapped: MappedValue<number>[] = [];
    const refused: TicketFieldsResult['refused'] = [];
    for (const { field, value } of presentValues(values)) {
      const setting = settings[ZENDESK_NAMEPLATE_SETTINGS[field]];
      if (setting === undefined || setting === null || setting === '') continue;
      const id = fieldIdOf(setting);
      if (id === null) refused.push({ field, reason: `setting ${ZENDESK_NAMEPLATE_SETTINGS[field]} is not a ticket field id` });
      else mapped.push({ field, key: id, value });
    }
    return writeMapped(mapped, refused, async (list) => {
      const body = { ticket: { custom_fields: list.map((m) => ({ id: m.key, value: m.value })) } };
      const res = await this.request(
        `ticket fields ${list.map((m) => m.key).join(', ')} of ticket ${ticketId}`,
        `${this.baseUrl}/api/v2/tickets/${ticketId}.json`,
        { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
        options,
      );
      await res.body?.cancel();
    });
  }

  /**
   * Reads newest first and stops at the marker or at the first comment older than `since`:
   * the note is always the newest part of a long ticket, so one page is the usual cost.
   */
  async findNoteWithMarker(ticketId: number, marker: string, options: FindNoteOptions = {}): Promise<boolean> {
    const query = new URLSearchParams({ sort_order: 'desc', 'page[size]': String(COMMENTS_PAGE_SIZE) });
    let url: string | null = `${this.baseUrl}/api/v2/tickets/${ticketId}/comments.json?${query}`;
    for (let page = 0; url && page < this.maxPages; page += 1) {
      const what = `comments of ticket ${ticketId}`;
      const data: z.infer<typeof CommentsPage> = await this.json(
        what,
        await this.request(what, url, { method: 'GET' }, options),
        CommentsPage,
      );
      for (const c of data.comments) {
        if (containsMarker(c.plain_body, marker) || containsMarker(c.body, marker) || containsMarker(c.html_body, marker)) return true;
        const createdAt = c.created_at ? Date.parse(c.created_at) : Number.NaN;
        if (options.since !== undefined && createdAt < options.since) return false;
      }
      url = data.meta.has_more ? this.nextPage(data.links.next) : null;
    }
    if (url) throw new HelpdeskWriteError(`comments of ticket ${ticketId} exceed ${this.maxPages} pages`, WriteFailure.Rejected);
    return false;
  }

  /** Only follows links on the helpdesk's own origin: the credentials go with every request. */
  private nextPage(next: string | null | undefined): string | null {
    if (!next) return null;
    const url = new URL(next, this.baseUrl);
    if (url.origin !== this.origin) {
      throw new HelpdeskWriteError(`helpdesk pointed the next comments page at ${url.origin}`, WriteFailure.Rejected);
    }
    return url.toString();
  }
}
