import { gzipSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { z } from 'zod';
import { toJsonText } from './json-text.js';
import { jsonSchemaOf, nastyValue, SchemaValues } from './schema-values.js';

/** One generated request body: bytes, the Content-Type it claims and an encoding it may claim. */
export interface FuzzBody {
  body: Uint8Array;
  contentType: string | null;
  contentEncoding: string | null;
  /** The bytes before any encoding was applied (what a route's schema is judged on). */
  plain: Uint8Array;
  origin: string;
}

/** Header text fetch accepts: printable ASCII. */
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

export const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=UTF-16',
      'application/json; charset=utf-32',
      'application/json; charset=latin1',
      'application/json; charset=bogus',
      'application/json; charset',
      'application/json;;',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----fuzz',
      'text/plain',
      'text/html',
      'application/octet-stream',
      'image/png',
      'image/heic',
      '*/*',
      '',
      'json',
    ),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: headerText },
);

/** Mostly none; otherwise what body-parser inflates, refuses, or cannot know. */
const encoding: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom('gzip', 'deflate', 'identity', 'br', 'x-gzip', 'compress', 'gzip, gzip', 'bogus', '') },
  { weight: 1, arbitrary: headerText },
);

function encoded(plain: Uint8Array, contentEncoding: string | null, compress: boolean): Uint8Array {
  if (!compress) return plain;
  if (contentEncoding === 'gzip' || contentEncoding === 'x-gzip') return gzipSync(plain);
  if (contentEncoding === 'deflate') return deflateSync(plain);
  return plain;
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function withHeaders(plain: fc.Arbitrary<{ bytes: Uint8Array; origin: string }>, types = contentType): fc.Arbitrary<FuzzBody> {
  return fc.tuple(plain, types, encoding, fc.boolean()).map(([p, type, enc, compress]) => ({
    plain: p.bytes,
    body: encoded(p.bytes, enc, compress),
    contentType: type,
    contentEncoding: enc,
    origin: p.origin,
  }));
}

/** Bodies for a JSON route: from its schema (valid and nearly valid), any JSON, not JSON, bytes, too long. */
export function jsonBodies(schema: z.ZodType, limitBytes: number): fc.Arbitrary<FuzzBody> {
  const values = new SchemaValues(jsonSchemaOf(schema));
  const text = (arb: fc.Arbitrary<unknown>, origin: string) => arb.map((v) => ({ bytes: utf8(toJsonText(v)), origin }));
  const plain = fc.oneof(
    { weight: 2, arbitrary: text(values.valid(), 'valid') },
    { weight: 8, arbitrary: text(values.nearValid(), 'near-valid') },
    { weight: 3, arbitrary: text(fc.jsonValue({ maxDepth: 4 }), 'json') },
    { weight: 2, arbitrary: text(nastyValue, 'nasty') },
    {
      weight: 2,
      arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ bytes: utf8(s), origin: 'text' })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes, origin: 'bytes' })) },
    {
      weight: 1,
      // Just past the route's limit: 413, never a read of the whole thing.
      arbitrary: fc.integer({ min: limitBytes + 1, max: limitBytes * 3 }).map((n) => ({
        bytes: utf8(`{"pad":"${'x'.repeat(n)}"}`),
        origin: 'too-long',
      })),
    },
  );
  return withHeaders(plain);
}

const FORM_FIELDS = [
  'token',
  'RoomSid',
  'RoomName',
  'RoomStatus',
  'StatusCallbackEvent',
  'ParticipantIdentity',
  'ParticipantSid',
  'SequenceNumber',
  'Timestamp',
  'AccountSid',
  'MessageSid',
  'MessageStatus',
  'ErrorCode',
] as const;

const formValue = fc.oneof(
  fc.constantFrom(
    '',
    'customer',
    'specialist',
    'observer-x',
    'room-ended',
    'participant-connected',
    'participant-disconnected',
    'delivered',
    'failed',
    '0',
    '-1',
    '1e999',
    'NaN',
    '9007199254740993',
    `RM${'0'.repeat(32)}`,
    `SM${'0'.repeat(32)}`,
    'live-assist-',
    'not a date',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** Form fields (as Twilio and the helpdesk post them), odd values, repeated keys, or no form at all. */
export const formParams: fc.Arbitrary<URLSearchParams> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ maxLength: 8 })), formValue), { maxLength: 8 })
  .map((pairs) => new URLSearchParams(pairs));

/**
 * Form fields from a schema of a form (Twilio's callbacks): valid and nearly valid, each field
 * sometimes replaced by a realistic value (`realistic`) so the handler behind the parser runs too.
 */
export function schemaForms(schema: z.ZodType, realistic: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<URLSearchParams> {
  const values = new SchemaValues(jsonSchemaOf(schema));
  return fc.tuple(fc.oneof(values.valid(), values.nearValid()), fc.record(realistic, { requiredKeys: [] })).map(([generated, real]) => {
    const fields = typeof generated === 'object' && generated !== null && !Array.isArray(generated) ? generated : {};
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...fields, ...real })) {
      if (value !== undefined) params.append(key, typeof value === 'string' ? value : toJsonText(value));
    }
    return params;
  });
}

export function formBodies(params: fc.Arbitrary<URLSearchParams> = formParams): fc.Arbitrary<FuzzBody> {
  const plain = fc.oneof(
    { weight: 6, arbitrary: params.map((p) => ({ bytes: utf8(p.toString()), origin: 'form' })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ bytes: utf8(s), origin: 'text' })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes, origin: 'bytes' })) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 17_000, max: 40_000 }).map((n) => ({ bytes: utf8(`token=${'x'.repeat(n)}`), origin: 'too-long' })),
    },
  );
  const types = fc.oneof({ weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') }, { weight: 2, arbitrary: contentType });
  return withHeaders(plain, types);
}

/** Leading bytes of image formats and of what looks like one: the relay decides from these. */
const MAGIC: readonly number[][] = [
  [0xff, 0xd8, 0xff],
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')],
  [0, 0, 0, 0x18, ...Buffer.from('ftypheic'), 0, 0, 0, 0, ...Buffer.from('mif1heic')],
  [0, 0, 0, 0x18, ...Buffer.from('ftypavif'), 0, 0, 0, 0, ...Buffer.from('mif1avif')],
  [0, 0, 0x10, 0x00, ...Buffer.from('ftypheic')],
  [...Buffer.from('GIF89a')],
  [...Buffer.from('%PDF-1.7')],
  [...Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')],
];

/**
 * Upload bodies: random bytes, an image signature followed by junk, and real small images
 * (`seeds`) cut short, bit-flipped or spliced, which reach the decoders.
 */
export function uploadBodies(seeds: readonly Uint8Array[]): fc.Arbitrary<FuzzBody> {
  const damaged = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.constantFrom('cut', 'flip', 'splice', 'whole'),
    )
    .map(([seed, at, flips, how]) => {
      const bytes = Buffer.from(seed);
      if (how === 'cut') return { bytes: bytes.subarray(0, at % bytes.length), origin: 'image:cut' };
      if (how === 'whole') return { bytes, origin: 'image:whole' };
      if (how === 'flip') {
        // Past the signature, so the bytes still reach a decoder.
        for (const [offset, value] of flips) bytes[16 + (offset % Math.max(bytes.length - 16, 1))] = value;
        return { bytes, origin: 'image:flipped' };
      }
      return { bytes: Buffer.concat([bytes.subarray(0, at % bytes.length), Buffer.from(flips.flat())]), origin: 'image:spliced' };
    });
  const magic = fc
    .tuple(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 2048 }))
    .map(([head, tail]) => ({ bytes: Buffer.concat([Buffer.from(head), tail]), origin: 'magic' }));
  const plain = fc.oneof(
    { weight: 4, arbitrary: damaged },
    { weight: 4, arbitrary: magic },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((bytes) => ({ bytes, origin: 'bytes' })) },
    { weight: 1, arbitrary: fc.constant({ bytes: new Uint8Array(0), origin: 'empty' }) },
  );
  return withHeaders(plain);
}

/** The `purpose` query of an upload: none, each allowed value, or anything. */
export const uploadPurpose: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom('photo', 'still', 'snapshot', 'PHOTO', '', 'photo,still', '__proto__'),
  fc.string({ maxLength: 12 }),
);
