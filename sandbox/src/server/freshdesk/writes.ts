import { multipartBoundary, parseMultipart } from './multipart.js';

/**
 * How the sandbox reads a note or a reply, with Freshdesk's rules as its users report
 * them: JSON or multipart/form-data; in multipart every field is a string, so booleans are "true"
 * and "false"; files only as `attachments[]` parts with a file name, one part per file; a JSON
 * Content-Type on a multipart body makes every field missing; attachments in JSON are refused.
 */

export interface IncomingFile {
  name: string;
  contentType: string;
  data: Buffer;
}

export interface ConversationWrite {
  body: string;
  private: boolean;
  userId: number | null;
  files: IncomingFile[];
}

export interface FreshdeskError {
  status: number;
  body: unknown;
}

const fieldError = (field: string, message: string, code: string): FreshdeskError => ({
  status: 400,
  body: { description: 'Validation failed', errors: [{ field, message, code }] },
});

const NOTE_FIELDS = new Set(['body', 'private', 'incoming', 'notify_emails[]', 'user_id', 'attachments[]']);
const REPLY_FIELDS = new Set(['body', 'user_id', 'from_email', 'cc_emails[]', 'bcc_emails[]', 'attachments[]']);

function fromFields(
  fields: Map<string, unknown>,
  files: IncomingFile[],
  allowed: Set<string>,
  isNote: boolean,
): ConversationWrite | FreshdeskError {
  for (const name of fields.keys()) if (!allowed.has(name)) return fieldError(name, 'Unexpected/invalid field in request', 'invalid_field');
  const body = fields.get('body');
  if (typeof body !== 'string' || body.trim() === '') return fieldError('body', 'It should be a/an String', 'missing_field');
  const priv = fields.get('private') ?? true;
  if (isNote && typeof priv !== 'boolean') return fieldError('private', 'It should be a/an Boolean', 'datatype_mismatch');
  const user = fields.get('user_id');
  if (user !== undefined && !(typeof user === 'number' && Number.isSafeInteger(user) && user > 0)) {
    return fieldError('user_id', 'It should be a/an Positive Integer', 'datatype_mismatch');
  }
  return { body, private: isNote ? (priv as boolean) : false, userId: (user as number | undefined) ?? null, files };
}

function fromJson(raw: Buffer, allowed: Set<string>, isNote: boolean): ConversationWrite | FreshdeskError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    // A multipart body sent as JSON: Freshdesk finds none of its fields.
    return fieldError('body', 'It should be a/an String', 'missing_field');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { status: 400, body: { code: 'invalid_json', message: 'Request body has invalid json format' } };
  const fields = new Map(Object.entries(parsed));
  if (fields.has('attachments'))
    return fieldError('attachments', 'It should contain elements of type valid file format only', 'datatype_mismatch');
  return fromFields(fields, [], new Set([...allowed].filter((f) => f !== 'attachments[]')), isNote);
}

function fromMultipart(raw: Buffer, boundary: string, allowed: Set<string>, isNote: boolean): ConversationWrite | FreshdeskError {
  const parts = parseMultipart(raw, boundary);
  if (!parts) return { status: 400, body: { code: 'invalid_multipart', message: 'The request body is not valid multipart/form-data' } };
  const fields = new Map<string, unknown>();
  const files: IncomingFile[] = [];
  for (const part of parts) {
    if (part.name === 'attachments[]') {
      if (part.filename === null || !part.contentType) {
        return fieldError('attachments', 'It should contain elements of type valid file format only', 'datatype_mismatch');
      }
      files.push({ name: part.filename, contentType: part.contentType, data: part.data });
      continue;
    }
    if (part.filename !== null) return fieldError(part.name, 'Unexpected/invalid field in request', 'invalid_field');
    const text = part.data.toString('utf8');
    if (fields.has(part.name)) return fieldError(part.name, 'It should be a/an String', 'datatype_mismatch');
    // Multipart carries strings: Freshdesk reads "true"/"false" as booleans and digits as numbers.
    if (part.name === 'private' || part.name === 'incoming') {
      fields.set(part.name, text === 'true' ? true : text === 'false' ? false : text);
    } else if (part.name === 'user_id') {
      fields.set(part.name, /^\d{1,15}$/.test(text) ? Number(text) : text);
    } else {
      fields.set(part.name, text);
    }
  }
  return fromFields(fields, files, allowed, isNote);
}

/** A note (`isNote`) or a reply as Freshdesk would read it, or the error it would answer. */
export function readConversationWrite(contentType: string | undefined, raw: Buffer, isNote: boolean): ConversationWrite | FreshdeskError {
  const allowed = isNote ? NOTE_FIELDS : REPLY_FIELDS;
  if (/^application\/json\b/i.test(contentType ?? '')) return fromJson(raw, allowed, isNote);
  const boundary = multipartBoundary(contentType);
  if (boundary) return fromMultipart(raw, boundary, allowed, isNote);
  return {
    status: 415,
    body: { code: 'invalid_content_type', message: 'Content-Type header should have application/json or multipart/form-data' },
  };
}

export const isFreshdeskError = (v: ConversationWrite | FreshdeskError): v is FreshdeskError => 'status' in v;
