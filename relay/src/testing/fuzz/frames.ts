import fc from 'fast-check';
import { ClientToRelaySchema, MAX_FRAME_BYTES, PROTOCOL_VERSION, RelayToClientSchema, type ClientToRelay } from '@live-assist/protocol';
import { toJsonText } from './json-text.js';
import { jsonSchemaOf, nastyValue, SchemaValues } from './schema-values.js';

/** What a fuzzing client sends: a text frame, a binary frame, or a "text" frame that is not UTF-8. */
export type FuzzItem =
  | { kind: 'text'; text: string; origin: string }
  | { kind: 'binary'; bytes: Uint8Array; origin: string }
  | { kind: 'bad-utf8'; bytes: Uint8Array; origin: string };

/**
 * How the relay must take a frame, decided from the protocol alone (docs/contract.md "WebSocket"):
 * `bad` → an `error` frame, the socket stays open (until 20 in a row); `valid` → handled by its
 * type; `too-large` → `frame-too-large` and close 4413; `oversize` (past the ws payload cap) → 1009;
 * `bad-utf8` → 1007 (the ws layer refuses text that is not UTF-8).
 */
export type Verdict =
  { kind: 'bad' } | { kind: 'valid'; frame: ClientToRelay } | { kind: 'too-large' } | { kind: 'oversize' } | { kind: 'bad-utf8' };

/** The relay's ws payload cap (gateway.ts): four times the frame limit. */
const WS_PAYLOAD_CAP = 4 * MAX_FRAME_BYTES;

export function verdictOf(item: FuzzItem): Verdict {
  if (item.kind === 'binary') return item.bytes.length > WS_PAYLOAD_CAP ? { kind: 'oversize' } : { kind: 'bad' };
  if (item.kind === 'bad-utf8') return { kind: 'bad-utf8' };
  const bytes = Buffer.byteLength(item.text, 'utf8');
  if (bytes > WS_PAYLOAD_CAP) return { kind: 'oversize' };
  if (bytes > MAX_FRAME_BYTES) return { kind: 'too-large' };
  let raw: unknown;
  try {
    raw = JSON.parse(item.text);
  } catch {
    return { kind: 'bad' };
  }
  const parsed = ClientToRelaySchema.safeParse(raw);
  return parsed.success ? { kind: 'valid', frame: parsed.data } : { kind: 'bad' };
}

/** What the socket carries: lone surrogates become U+FFFD on the way, so the verdict is taken on that. */
function textItem(text: string, origin: string): FuzzItem {
  return { kind: 'text', text: Buffer.from(text, 'utf8').toString('utf8'), origin };
}

const FRAME_SCHEMAS = ClientToRelaySchema.options.map((schema) => jsonSchemaOf(schema));
const CLIENT_FRAME_TYPES: readonly string[] = FRAME_SCHEMAS.map((s) => String(s.properties?.type?.const));
const RELAY_FRAME_TYPES: readonly string[] = RelayToClientSchema.options.map((s) => String(jsonSchemaOf(s).properties?.type?.const));
/** A frame's type swapped for another: a client type, a relay-only type, or none known. */
const CONFUSABLE_TYPES = [...new Set([...CLIENT_FRAME_TYPES, ...RELAY_FRAME_TYPES, 'Hello', 'ping ', 'chat_send'])];

const perType = FRAME_SCHEMAS.map((schema, i) => {
  const values = new SchemaValues(schema, CONFUSABLE_TYPES);
  const type = CLIENT_FRAME_TYPES[i]!;
  return {
    type,
    valid: values.valid().map((v) => textItem(toJsonText(v), `valid:${type}`)),
    nearValid: values.nearValid().map((v) => textItem(toJsonText(v), `near-valid:${type}`)),
  };
});

/** For each client frame type, valid frames and (mostly) nearly valid ones, types chosen evenly. */
const schemaFrame: fc.Arbitrary<FuzzItem> = fc
  .constantFrom(...perType)
  .chain((t) => fc.oneof({ weight: 1, arbitrary: t.valid }, { weight: 2, arbitrary: t.nearValid }));

const validText = fc.constantFrom(...perType).chain((t) => t.valid);

/** JSON text that is almost right, or not JSON: truncated, padded, commented, single-quoted, BOM. */
const brokenText: fc.Arbitrary<FuzzItem> = fc
  .tuple(validText, fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }))
  .chain(([item, cut, junk]) => {
    const text = item.kind === 'text' ? item.text : '{}';
    return fc.constantFrom(
      textItem(text.slice(0, cut % Math.max(text.length, 1)), 'broken:truncated'),
      textItem(`${text}${junk || '}'}`, 'broken:trailing'),
      textItem(`\ufeff${text}`, 'broken:bom'),
      textItem(text.replaceAll('"', "'"), 'broken:quotes'),
      textItem(text.replace(/^\{/, '{/*c*/'), 'broken:comment'),
      textItem(text.replace(/\}$/, ',}'), 'broken:trailing-comma'),
      textItem(`${text}${text}`, 'broken:two-frames'),
      textItem(`[${text}]`, 'wrapped:array'),
      textItem(JSON.stringify(text), 'wrapped:string'),
      // Duplicate keys: JSON.parse keeps the last, so the frame may turn into another type.
      textItem(text.replace(/^\{/, `{"type":"ping","t":1,`), 'broken:duplicate-type'),
    );
  });

const arbitraryJson: fc.Arbitrary<FuzzItem> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => textItem(JSON.stringify(v) ?? 'null', 'json:any')),
  fc
    .tuple(fc.constantFrom(...CONFUSABLE_TYPES), fc.dictionary(fc.string({ maxLength: 10 }), nastyValue, { maxKeys: 4 }))
    .map(([type, rest]) => textItem(toJsonText({ ...rest, type }), 'json:typed')),
  nastyValue.map((v) => textItem(toJsonText(v), 'json:nasty')),
);

const notJson: fc.Arbitrary<FuzzItem> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => textItem(s, 'text:any')),
  fc
    .constantFrom('', ' ', 'null', 'NaN', 'undefined', '{', '}', '[', '"', '{"type":', 'hello', '\u0000')
    .map((s) => textItem(s, 'text:fixed')),
  fc.integer({ min: 10, max: 12_000 }).map((d) => textItem('['.repeat(d), 'text:unbalanced')),
);

const binary: fc.Arbitrary<FuzzItem> = fc.oneof(
  fc.uint8Array({ maxLength: 256 }).map((bytes): FuzzItem => ({ kind: 'binary', bytes, origin: 'binary:random' })),
  validText.map((t): FuzzItem => ({ kind: 'binary', bytes: Buffer.from(t.kind === 'text' ? t.text : ''), origin: 'binary:valid-json' })),
);

/** A text frame whose bytes are not UTF-8 (a lone continuation byte, an overlong form, a cut sequence). */
const badUtf8: fc.Arbitrary<FuzzItem> = fc
  .tuple(
    fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]),
    fc.string({ maxLength: 20 }),
  )
  .map(([bad, text]): FuzzItem => ({ kind: 'bad-utf8', bytes: Buffer.concat([Buffer.from(text), Buffer.from(bad)]), origin: 'bad-utf8' }));

/** Past the 64 KiB limit, and now and then past the ws cap. */
const huge: fc.Arbitrary<FuzzItem> = fc
  .tuple(fc.integer({ min: MAX_FRAME_BYTES - 64, max: WS_PAYLOAD_CAP + 4096 }), fc.constantFrom('chat', 'points', 'junk'))
  .map(([bytes, shape]) => {
    if (shape === 'chat') return textItem(`{"type":"chat-send","clientId":"client-huge","text":"${'x'.repeat(bytes)}"}`, 'huge:chat');
    if (shape === 'points') {
      const points = Math.ceil(bytes / 10);
      return textItem(`{"type":"annotation-extend","id":"m1","points":[${Array(points).fill('[0.5,0.5]').join(',')}]}`, 'huge:points');
    }
    return textItem(`"${'é'.repeat(Math.ceil(bytes / 2))}"`, 'huge:junk');
  });

/** One frame of any kind, weighted towards frames derived from the protocol's schemas. */
const fuzzItem: fc.Arbitrary<FuzzItem> = fc.oneof(
  { weight: 60, arbitrary: schemaFrame },
  { weight: 10, arbitrary: brokenText },
  { weight: 12, arbitrary: arbitraryJson },
  { weight: 8, arbitrary: notJson },
  { weight: 6, arbitrary: binary },
  { weight: 1, arbitrary: badUtf8 },
  { weight: 1, arbitrary: huge },
);

/** Never valid JSON: for a flood of bad frames in a row. */
const surelyBad: fc.Arbitrary<FuzzItem> = fc.string({ maxLength: 30 }).map((s) => textItem(`!${s}`, 'flood'));

/** One fast-check run on a socket: frames before hello (after a reconnect), frames, and now and then a flood or a wrong hello. */
export interface FrameRun {
  preHello: FuzzItem[];
  items: FuzzItem[];
  /** 20 or more bad frames in a row without a good one: the relay closes the socket (4429). */
  flood: FuzzItem[] | null;
  /** A fresh socket says hello with another protocol version: `unsupported-version`, close 4400. */
  wrongVersion: number | null;
}

/** `arbitrary` in one run of `every`, null otherwise. */
function rarely<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

export const frameRun: fc.Arbitrary<FrameRun> = fc.record({
  preHello: fc.array(fuzzItem, { maxLength: 3 }),
  // size 'max': lengths spread over the whole range, not fast-check's usual handful.
  items: fc.array(fuzzItem, { minLength: 1, maxLength: 24, size: 'max' }),
  flood: rarely(fc.array(surelyBad, { minLength: 20, maxLength: 24 }), 40),
  wrongVersion: rarely(
    fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }).map(Number)).filter((v) => v !== PROTOCOL_VERSION),
    60,
  ),
});
