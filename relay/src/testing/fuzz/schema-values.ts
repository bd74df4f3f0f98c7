import fc from 'fast-check';
import { z } from 'zod';
import { deleteAt, Raw, setAt, withKey } from './json-text.js';

/**
 * Values for a protocol schema, valid and nearly valid, derived from the schema itself through
 * zod's JSON Schema export: a frame or body added to `protocol/` is fuzzed without a line here.
 * Only the keywords zod writes for the protocol are read; anything else yields arbitrary JSON.
 */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  // Input side: what a client sends (defaults optional, a transform's input rather than its output).
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Longest string or array the generators write out in full (a frame is at most 64 KiB). */
const LONGEST = 70_000;
/** `^[class]+$`: the protocol's id patterns, generated at the length bounds zod puts beside them. */
const SIMPLE_CLASS = /^\^(\[[^\]]+\])[+*]\$$/;

type Path = (string | number)[];
interface Site {
  path: Path;
  schema: JsonSchema;
}

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** Values that break most expectations: wrong types, odd numbers, odd text, size and depth. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.000001, '', ' ', [], {}, [[]], [{}]) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\ud800',
      'a\udfff\ud800b',
      '\u202eevil\u202c',
      '\u2028\u2029',
      '𝕏𝕐ℤ👩‍👩‍👧‍👦',
      'ﷺ',
      'null',
      'undefined',
      '<script>alert(1)</script>',
      "'; DROP TABLE sessions; --",
      '../../etc/passwd',
      '%00%ff',
      '__proto__',
      'constructor',
      '\r\n\t\b\f',
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      new Raw('1e999'),
      new Raw('-1e999'),
      new Raw('NaN'),
      new Raw('Infinity'),
      new Raw('-0'),
      new Raw('1e-400'),
      new Raw('9007199254740993'),
      new Raw('-9007199254740993'),
      new Raw('123456789012345678901234567890'),
      new Raw('1E2'),
      new Raw('0x10'),
      new Raw('01'),
      new Raw('.5'),
      new Raw('+1'),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.double().map((n) => (Number.isFinite(n) ? n : new Raw(Number.isNaN(n) ? 'NaN' : n > 0 ? '1e999' : '-1e999'))),
  },
  { weight: 2, arbitrary: fc.bigInt().map((n) => new Raw(n.toString())) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: anyJson },
  {
    weight: 1,
    // Long text: most of it fits a frame, some of it does not (a terminal case the driver expects).
    arbitrary: fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), fc.integer({ min: 500, max: LONGEST }))
      .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length))),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom<unknown>(0, 'a', null, [], {}, [0.5, 0.5], true), fc.integer({ min: 50, max: 20_000 }))
      .map(([item, count]) => Array.from({ length: count }, () => item)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 10, max: 12_000 }), fc.constantFrom('array', 'object', 'open'))
      .map(([depth, kind]) =>
        kind === 'array'
          ? new Raw('['.repeat(depth) + ']'.repeat(depth))
          : kind === 'object'
            ? new Raw('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))
            : new Raw('['.repeat(depth)),
      ),
  },
);

/** Extra keys a client may add: prototype names, empty, long and non-ASCII keys. */
const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'type',
    '',
    ' ',
    'ключ',
    '🔑',
    '\ud800',
    'k'.repeat(2000),
  ),
  fc.string({ maxLength: 12 }),
);

export class SchemaValues {
  private readonly defs: Record<string, JsonSchema>;

  /** `otherConsts`: values a `const` may be swapped for (other frame types: type confusion). */
  constructor(
    private readonly root: JsonSchema,
    private readonly otherConsts: readonly string[] = [],
  ) {
    this.defs = root.$defs ?? {};
  }

  /** Values the schema should accept (a refinement zod cannot export may still refuse some). */
  valid(schema: JsonSchema = this.root): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if ('const' in s) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
    const union = s.anyOf ?? s.oneOf;
    if (union) return fc.oneof(...union.map((branch) => this.valid(branch)));
    if (s.allOf?.[0]) return this.valid({ ...s.allOf[0], ...s, allOf: undefined });
    if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => this.valid({ ...s, type })));
    switch (s.type) {
      case 'string':
        return validString(s);
      case 'integer':
        return validInteger(s);
      case 'number':
        return validNumber(s);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return this.validArray(s);
      case 'object':
        return this.validObject(s);
      default:
        return anyJson;
    }
  }

  /** A valid value with one or two things wrong in it: a field's type, range, length, presence or an extra key. */
  nearValid(schema: JsonSchema = this.root): fc.Arbitrary<unknown> {
    return this.valid(schema).chain((value) =>
      this.mutate(value, schema).chain((once) =>
        fc.oneof({ weight: 4, arbitrary: fc.constant(once) }, { weight: 1, arbitrary: this.mutate(once, schema) }),
      ),
    );
  }

  private mutate(value: unknown, schema: JsonSchema): fc.Arbitrary<unknown> {
    const sites: Site[] = [];
    this.collect(value, schema, [], sites);
    return fc.constantFrom(...sites).chain((site) => {
      const options: fc.Arbitrary<unknown>[] = [this.badFor(site.schema).map((bad) => setAt(value, site.path, bad))];
      const here = site.path.reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], value);
      const s = this.branch(site.schema, here);
      if (s.type === 'object' || s.properties) {
        const keys = typeof here === 'object' && here !== null ? Object.keys(here) : [];
        if (keys.length > 0) options.push(fc.constantFrom(...keys).map((key) => deleteAt(value, [...site.path, key])));
        options.push(
          fc.tuple(extraKey, fc.oneof(nastyValue, anyJson)).map(([key, extra]) => setAt(value, site.path, withKey(here, key, extra))),
        );
      }
      return fc.oneof(...options);
    });
  }

  /** Every place in `value` with the schema that describes it, the root included. */
  private collect(value: unknown, schema: JsonSchema, path: Path, out: Site[]): void {
    out.push({ path, schema });
    const s = this.branch(schema, value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const itemSchema = s.prefixItems?.[i] ?? (typeof s.items === 'object' ? s.items : undefined);
        if (itemSchema) this.collect(item, itemSchema, [...path, i], out);
      });
    } else if (typeof value === 'object' && value !== null && s.properties) {
      for (const [key, item] of Object.entries(value)) {
        const propSchema = s.properties[key];
        if (propSchema) this.collect(item, propSchema, [...path, key], out);
      }
    }
  }

  /** Wrong values for this place: out of its range or length, off its pattern or enum, of another type. */
  private badFor(schema: JsonSchema): fc.Arbitrary<unknown> {
    const s = this.branch(schema, undefined);
    const specific: unknown[] = [];
    const consts = 'const' in s ? [s.const] : (s.enum ?? []);
    for (const c of consts) {
      if (typeof c === 'string') specific.push(c.toUpperCase(), ` ${c}`, `${c}\u0000`, c.slice(0, -1), `${c}-x`, '');
      if (typeof c === 'number') specific.push(c + 1, -c, String(c));
      if (typeof c === 'boolean') specific.push(!c, String(c));
    }
    if (typeof s.const === 'string' && this.otherConsts.includes(s.const)) specific.push(...this.otherConsts);
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.includes('string')) {
      const min = s.minLength ?? 0;
      if (min > 0) specific.push('', 'x'.repeat(min - 1));
      if (s.maxLength !== undefined && s.maxLength < LONGEST) specific.push('x'.repeat(s.maxLength + 1), '-'.repeat(s.maxLength + 1));
      if (s.pattern)
        specific.push(`${'a'.repeat(min)} b`, `${'é'.repeat(Math.max(min, 1))}`, `${'a'.repeat(min)}/..`, `${'a'.repeat(min)}\n`);
      if (s.format) specific.push('not a url', 'javascript:alert(1)', 'http://', 'http://[::1');
      specific.push(42, ['a']);
    }
    if (types.includes('integer') || types.includes('number')) {
      const low = s.minimum ?? s.exclusiveMinimum;
      const high = s.maximum ?? s.exclusiveMaximum;
      if (low !== undefined) specific.push(low - 1, low - 1e-9, numberText(low - 1));
      if (high !== undefined) specific.push(high + 1, high + 1e-9, numberText(high + 1));
      if (types.includes('integer')) specific.push(0.5, (low ?? 0) + 0.5, new Raw('1.0000000000000001'));
      specific.push(new Raw('1e999'), new Raw('-1e999'), new Raw('NaN'), '1', null);
    }
    if (types.includes('array')) {
      const min = s.minItems ?? 0;
      if (min > 0) specific.push([]);
      specific.push({ 0: 0.5, length: 1 }, 'array');
    }
    if (types.includes('object')) specific.push(null, [], 'object', {});
    if (types.includes('boolean')) specific.push('true', 1, 0);
    const options: fc.Arbitrary<unknown>[] = [nastyValue];
    if (specific.length > 0) options.unshift(fc.constantFrom(...specific));
    if (types.includes('array') && s.maxItems !== undefined && s.maxItems < 20_000) {
      // One more item than allowed, built from a valid item so only the count is wrong.
      const item = typeof s.items === 'object' ? this.valid(s.items) : anyJson;
      options.push(item.map((one) => Array.from({ length: s.maxItems! + 1 }, () => one)));
      options.push(fc.array(nastyValue, { minLength: 1, maxLength: 4 }));
    }
    return fc.oneof(...options);
  }

  private validArray(s: JsonSchema): fc.Arbitrary<unknown> {
    if (s.prefixItems) return fc.tuple(...s.prefixItems.map((item) => this.valid(item)));
    const item = typeof s.items === 'object' ? this.valid(s.items) : anyJson;
    const min = s.minItems ?? 0;
    const max = s.maxItems ?? min + 6;
    const typical = fc.array(item, { minLength: min, maxLength: Math.min(max, min + 6) });
    if (max >= LONGEST || max <= min + 6) return typical;
    // The longest array allowed, from one repeated item so it stays cheap to build.
    const longest = item.map((one) => Array.from({ length: max }, () => one));
    return fc.oneof({ weight: 6, arbitrary: typical }, { weight: 1, arbitrary: longest });
  }

  private validObject(s: JsonSchema): fc.Arbitrary<unknown> {
    const properties = s.properties ?? {};
    const model = Object.fromEntries(Object.entries(properties).map(([key, prop]) => [key, this.valid(prop)]));
    const requiredKeys = (s.required ?? []).filter((key) => key in model);
    return fc.record(model, { requiredKeys });
  }

  private resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (!ref) return schema;
    if (ref === '#') return this.root;
    const name = ref.replace(/^#\/\$defs\//, '');
    return this.defs[name] ?? {};
  }

  /** The union branch `value` came from (matched on its consts), or the first one. */
  private branch(schema: JsonSchema, value: unknown): JsonSchema {
    const s = this.resolve(schema);
    const union = s.anyOf ?? s.oneOf;
    if (!union || union.length === 0) return s;
    const branches = union.map((b) => this.resolve(b));
    const fits = (b: JsonSchema): boolean => {
      if (value === null) return b.type === 'null';
      if (typeof value !== 'object') return b.type === typeof value || (typeof value === 'number' && b.type === 'integer');
      if (Array.isArray(value)) return b.type === 'array';
      if (b.type !== 'object' && !b.properties) return false;
      return Object.entries(b.properties ?? {}).every(
        ([key, prop]) => !('const' in prop) || (value as Record<string, unknown>)[key] === prop.const,
      );
    };
    const found = value === undefined ? branches.find((b) => b.type !== 'null') : branches.find(fits);
    return this.branch(found ?? branches[0]!, value);
  }
}

function numberText(n: number): unknown {
  return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : new Raw(BigInt(n).toString());
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? min + 32;
  const high = Math.min(max, min + 16);
  if (s.format === 'uri' || s.format === 'url') return fc.webUrl();
  if (s.format === 'email') return fc.emailAddress();
  if (s.pattern) {
    const simple = SIMPLE_CLASS.exec(s.pattern);
    if (simple) {
      const typical = fc.stringMatching(new RegExp(`^${simple[1]}{${Math.max(min, 1)},${Math.max(high, 1)}}$`));
      if (max >= LONGEST || max <= high) return typical;
      const longest = fc.stringMatching(new RegExp(`^${simple[1]}{${max}}$`));
      return fc.oneof({ weight: 6, arbitrary: typical }, { weight: 1, arbitrary: longest });
    }
    // Only bounds the schema states: a pattern may well be longer than the default cap.
    return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
  }
  const typical = fc.string({ unit: 'grapheme', minLength: min, maxLength: high });
  if (max >= LONGEST || max <= high) return typical;
  const longest = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }).map((c) => c.repeat(max));
  return fc.oneof({ weight: 6, arbitrary: typical }, { weight: 1, arbitrary: longest });
}

function validInteger(s: JsonSchema): fc.Arbitrary<number> {
  const low = s.minimum ?? (s.exclusiveMinimum !== undefined ? Math.floor(s.exclusiveMinimum) + 1 : -MAX_SAFE);
  const high = s.maximum ?? (s.exclusiveMaximum !== undefined ? Math.ceil(s.exclusiveMaximum) - 1 : MAX_SAFE);
  const lo = Math.max(Math.ceil(low), -MAX_SAFE);
  const hi = Math.min(Math.floor(high), MAX_SAFE);
  const top = Math.max(lo, hi);
  // bigInt: fast-check's integer() stops at 32 bits. The bounds are where bugs live, so a quarter
  // of the values sit on or next to them.
  return fc.oneof(
    { weight: 3, arbitrary: fc.bigInt({ min: BigInt(lo), max: BigInt(top) }).map(Number) },
    { weight: 1, arbitrary: fc.constantFrom(...new Set([lo, top, Math.min(lo + 1, top), Math.max(top - 1, lo)])) },
  );
}

function validNumber(s: JsonSchema): fc.Arbitrary<number> {
  const min = s.minimum ?? s.exclusiveMinimum ?? -Number.MAX_VALUE;
  const max = s.maximum ?? s.exclusiveMaximum ?? Number.MAX_VALUE;
  const minExcluded = s.minimum === undefined && s.exclusiveMinimum !== undefined;
  const maxExcluded = s.maximum === undefined && s.exclusiveMaximum !== undefined;
  const any = fc.double({ min, max, minExcluded, maxExcluded, noNaN: true, noDefaultInfinity: true });
  const bounds = [...(minExcluded ? [] : [min]), ...(maxExcluded ? [] : [max]), Number.MIN_VALUE, -0].filter((n) => n >= min && n <= max);
  return fc.oneof({ weight: 3, arbitrary: any }, { weight: 1, arbitrary: fc.constantFrom(...bounds, (min + max) / 2) });
}
