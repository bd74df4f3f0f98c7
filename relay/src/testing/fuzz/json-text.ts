/**
 * JSON text with tokens `JSON.stringify` cannot write: `1e999` (parses to Infinity), `NaN`
 * (not JSON at all), integers past 2^53, unbalanced or very deep nesting. A value is written
 * as JSON except where a `Raw` stands, which is written as it is.
 */
export class Raw {
  constructor(readonly text: string) {}
}

export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Array.from(value));
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '1e999' : '-1e999';
  // undefined, functions and symbols have no JSON form; null keeps the text well-formed.
  return JSON.stringify(value) ?? 'null';
}

type Path = readonly (string | number)[];

/** A copy of `value` with `replacement` at `path`; own keys like `__proto__` stay plain keys. */
export function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') {
    const copy = [...(value as unknown[])];
    copy[head] = setAt(copy[head], rest, replacement);
    return copy;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Raw)) {
    const entries = Object.entries(value);
    const key = String(head);
    const found = entries.some(([k]) => k === key);
    const next = found ? entries.map(([k, v]) => [k, k === key ? setAt(v, rest, replacement) : v]) : [...entries, [key, replacement]];
    return Object.fromEntries(next);
  }
  return value;
}

/** A copy of `value` without the key (or array item) at `path`. */
export function deleteAt(value: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (rest.length > 0) {
    const inner = Array.isArray(value) ? (value as unknown[])[head as number] : (value as Record<string, unknown> | null)?.[String(head)];
    return setAt(value, [head!], deleteAt(inner, rest));
  }
  if (Array.isArray(value)) return (value as unknown[]).filter((_, i) => i !== head);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).filter(([k]) => k !== String(head)));
  return value;
}

/** A copy of an object with one more own key (any name, `__proto__` included). */
export function withKey(value: unknown, key: string, extra: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Raw) return value;
  return Object.fromEntries([...Object.entries(value).filter(([k]) => k !== key), [key, extra]]);
}
