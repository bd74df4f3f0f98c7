import type { Express } from 'express';

/**
 * One thing the app answers, as `METHOD /path`: a route (`GET /api/sessions/:sessionId`), or a
 * handler mounted under a path (`USE /app/assets`: static files, the API's 404).
 */
export type MountedRoute = `${string} /${string}`;

/** What the walk reads of express 5's router (the `router` package, 2.x). */
interface Layer {
  route?: { methods: Record<string, boolean | undefined> };
  rawPath?: unknown;
  handle: { stack?: unknown };
}

function paths(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) return raw.flatMap(paths);
  // A RegExp path cannot be named in a table row; the walk says so rather than guess.
  throw new Error(`a route with a non-string path (${String(raw)}): give it a string path`);
}

const joined = (prefix: string, path: string): string => (path === '/' ? prefix || '/' : `${prefix}${path}`);

/**
 * Every route and mounted handler of the app, walking nested routers, deduplicated and sorted.
 * Middleware mounted at `/` (parsers, headers, the HTML 404) is not listed: it answers no path of its own.
 */
export function mountedRoutes(app: Express): MountedRoute[] {
  const found = new Set<MountedRoute>();
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      for (const path of paths(layer.rawPath)) {
        const full = joined(prefix, path);
        if (layer.route) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on) found.add(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${full}` as MountedRoute);
          }
        } else if (Array.isArray(layer.handle.stack)) {
          walk(layer.handle.stack as Layer[], path === '/' ? prefix : full);
        } else if (path !== '/') {
          found.add(`USE ${full}` as MountedRoute);
        }
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...found].sort();
}
