import { z } from 'zod';

/** The environment as a process sees it. */
export type Env = Record<string, string | undefined>;

/** A variable copied empty from `.env.example` counts as unset, so its default applies. */
export const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** An optional variable: blank or missing is `undefined`, anything else must satisfy `schema`. */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** A variable whose schema has a default: blank or missing takes that default. */
export const blankAsUnset = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema);

/** URLs are joined with paths, so a configured trailing slash would double up. */
export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
