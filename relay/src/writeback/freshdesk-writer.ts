import type { NameplateField, NameplateValues } from '@live-assist/protocol';
import type { z } from 'zod';
import { presentValues, writeMapped, type MappedValue } from './ticket-fields.js';
import {
  ConversationSchema,
  MAX_PER_PAGE,
  TicketSchema,
  describeFreshdeskError,
  freshdeskAuthorization,
  nextPageUrl,
  type FreshdeskConversation,
} from '../helpdesk/freshdesk-api.js';
import { fitToBudget } from './fit-files.js';
import { FRESHDESK_TICKET_ATTACHMENT_BYTES } from './limits.js';
import { containsMarker } from './marker.js';
import { sendWriteRequest, writeFailureOf } from './write-request.js';
import {
  HelpdeskWriteError,
  WriteFailure,
  type FindNoteOptions,
  type FittedFiles,
  type InlineNoteWriter,
  type NoteAttachmentFile,
  type NoteWriteOptions,
  type TicketFieldsResult,
  type WriteOptions,
} from './types.js';

export interface FreshdeskNoteWriterConfig {
  /** e.g. https://wilo.freshdesk.com (or a stand-in's origin). */
  baseUrl: string;
  apiKey: string;
  /** Custom ticket fields (`cf_…` names) the nameplate values go to; an unmapped value is not written. */
  ticketFields?: Partial<Record<NameplateField, string>>;
  /**
   * The mapping the installation's last app sign-in stored (its iparams); null when none has.
   * When it answers one, it replaces `ticketFields` whole: the admin's settings decide.
   */
  storedTicketFields?: () => Promise<Partial<Record<NameplateField, string>> | null>;
  /** Per request; a note carries up to 20 MB of files. Default 60 s. */
  requestTimeoutMs?: number;
  /** Bound on conversation pages read for the marker or the attachment total. Default 50 (5,000 conversations). */
  maxConversationPages?: number;
  /** What a ticket's attachments may total (default Freshdesk's 20 MB). */
  ticketBudgetBytes?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const ConversationsPage = ConversationSchema.array();

/**
 * Freshdesk REST v2: the call note as one private note with its files (multipart), the ticket's
 * attachment total from its conversations, and the marker search. Freshdesk has no idempotency
 * key, so the outbox looks for the note's marker before any unclear retry, as with Zendesk.
 */
export class FreshdeskNoteWriter implements InlineNoteWriter {
  readonly attachments = 'inline' as const;
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly authorization: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxPages: number;
  private readonly budget: number;
  private readonly ticketFields: Partial<Record<NameplateField, string>>;
  private readonly storedTicketFields: () => Promise<Partial<Record<NameplateField, string>> | null>;

  constructor(config: FreshdeskNoteWriterConfig) {
    this.ticketFields = config.ticketFields ?? {};
    this.storedTicketFields = config.storedTicketFields ?? (() => Promise.resolve(null));
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.authorization = freshdeskAuthorization(config.apiKey);
    this.fetchImpl = config.fetch ?? fetch;
    this.now = config.now ?? Date.now;
    this.timeoutMs = config.requestTimeoutMs ?? 60_000;
    this.maxPages = config.maxConversationPages ?? 50;
    this.budget = config.ticketBudgetBytes ?? FRESHDESK_TICKET_ATTACHMENT_BYTES;
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
    const detail = describeFreshdeskError(await res.text().catch(() => ''));
    // Freshdesk support asks for the request id of a failed call.
    const id = res.headers.get('x-request-id');
    const message = `${what} answered ${res.status}${detail ? `: ${detail}` : ''}${id ? ` (request ${id})` : ''}`;
    throw writeFailureOf(res, message, this.now());
  }

  private async json<T>(what: string, res: Response, schema: z.ZodType<T>): Promise<T> {
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HelpdeskWriteError(`${what} sent an unexpected body`, WriteFailure.Unavailable);
    return parsed.data;
  }

  /** Every conversation of the ticket, oldest first, page by page along the Link header. */
  private async *conversations(ticketId: number, options: WriteOptions): AsyncGenerator<FreshdeskConversation> {
    const what = `conversations of ticket ${ticketId}`;
    let url: string | null = `${this.baseUrl}/api/v2/tickets/${ticketId}/conversations?per_page=${MAX_PER_PAGE}`;
    for (let page = 0; url; page += 1) {
      if (page >= this.maxPages) throw new HelpdeskWriteError(`${what} exceed ${this.maxPages} pages`, WriteFailure.Rejected);
      const res = await this.request(what, url, { method: 'GET' }, options);
      const link = res.headers.get('link');
      yield* await this.json(what, res, ConversationsPage);
      try {
        url = nextPageUrl(link, this.origin);
      } catch (error) {
        throw new HelpdeskWriteError(`${what}: ${(error as Error).message}`, WriteFailure.Rejected);
      }
    }
  }

  /** Freshdesk lists conversations oldest first and cannot sort them, so every page is read. */
  async findNoteWithMarker(ticketId: number, marker: string, options: FindNoteOptions = {}): Promise<boolean> {
    for await (const c of this.conversations(ticketId, options)) {
      if (containsMarker(c.body_text, marker) || containsMarker(c.body, marker)) return true;
    }
    return false;
  }

  /** What the ticket's files take already: its own (the description's) and every conversation's. */
  private async attachmentBytes(ticketId: number, options: WriteOptions): Promise<number> {
    const what = `ticket ${ticketId}`;
    const ticket = await this.json(
      what,
      await this.request(what, `${this.baseUrl}/api/v2/tickets/${ticketId}`, { method: 'GET' }, options),
      TicketSchema,
    );
    let bytes = (ticket.attachments ?? []).reduce((n, a) => n + a.size, 0);
    for await (const c of this.conversations(ticketId, options)) bytes += (c.attachments ?? []).reduce((n, a) => n + a.size, 0);
    return bytes;
  }

  async fitToTicket(ticketId: number, files: readonly NoteAttachmentFile[], options: WriteOptions = {}): Promise<FittedFiles> {
    if (files.length === 0) return { files: [], left: [] };
    const { files: fitted, left } = await fitToBudget(files, this.budget - (await this.attachmentBytes(ticketId, options)));
    return { files: fitted, left };
  }

  /**
   * The mapping is read now, on every try, so a setting changed since the call counts: the one the
   * installation's last sign-in brought from its iparams (Freshworks offers a server no way to read
   * them, but renders them into the sign-in's headers), else the relay's FRESHDESK_NAMEPLATE_*_FIELD.
   * The agent's browser never names a field.
   */
  async writeTicketFields(ticketId: number, values: NameplateValues, options: WriteOptions = {}): Promise<TicketFieldsResult> {
    const fields = (await this.storedTicketFields()) ?? this.ticketFields;
    const mapped: MappedValue<string>[] = presentValues(values).flatMap(({ field, value }) => {
      const name = fields[field];
      return name ? [{ field, key: name, value }] : [];
    });
    return writeMapped(mapped, [], async (list) => {
      const res = await this.request(
        `ticket fields ${list.map((m) => m.key).join(', ')} of ticket ${ticketId}`,
        `${this.baseUrl}/api/v2/tickets/${ticketId}`,
        {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ custom_fields: Object.fromEntries(list.map((m) => [m.key, m.value])) }),
        },
        options,
      );
      await res.body?.cancel();
    });
  }

  /**
   * One private note, multipart: fields as strings (Freshdesk reads booleans from "true"), one
   * `attachments[]` part per file, and no Content-Type of ours: fetch sets multipart with its
   * boundary, and a JSON one would make Freshdesk read every field as missing.
   */
  async addNoteWithFiles(
    ticketId: number,
    html: string,
    files: readonly NoteAttachmentFile[],
    options: NoteWriteOptions = {},
  ): Promise<void> {
    const form = new FormData();
    form.append('body', html);
    form.append('private', 'true');
    if (options.authorId !== undefined) form.append('user_id', String(options.authorId));
    for (const f of files) form.append('attachments[]', new Blob([f.data], { type: f.contentType }), f.fileName);
    const res = await this.request(
      `note on ticket ${ticketId}`,
      `${this.baseUrl}/api/v2/tickets/${ticketId}/notes`,
      { method: 'POST', body: form },
      options,
    );
    await res.body?.cancel();
  }
}
