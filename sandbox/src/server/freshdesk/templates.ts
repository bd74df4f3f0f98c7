import { z } from 'zod';

/**
 * Freshworks' request templates (`config/requests.json`) as `client.request.invokeTemplate` runs
 * them from an app's frontend, with the platform's documented rules, never looser:
 * - `<%= iparam.x %>` in host, path, query and headers; a secure iparam only in headers;
 * - `<%= context.x %>` only in path and query (host and headers take context only from the
 *   installation page and serverless, which this stand-in does not run);
 * - host a bare host name, sent over https; path starting with `/`; body a string;
 * - only templates listed in the manifest's `modules.common.requests`;
 * - 50 calls a minute per app per account, shared by all agents.
 * Where the documentation is silent it refuses: an unknown placeholder, a missing value, or a
 * context value that would change the path's shape.
 */

export const CALLS_PER_MINUTE = 50;
const MAX_BODY = 6 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

const TemplateSchema = z
  .object({
    schema: z
      .object({
        protocol: z.literal('https').optional(),
        method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
        host: z.string().min(1),
        path: z.string().startsWith('/'),
        headers: z.record(z.string(), z.string()).optional(),
        query: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    options: z
      .object({
        maxAttempts: z.number().int().min(1).max(5).optional(),
        retryDelay: z
          .number()
          .int()
          .min(0)
          .max(1500)
          .refine((n) => n % 100 === 0, 'retryDelay must be a multiple of 100')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type RequestTemplate = z.infer<typeof TemplateSchema>;

export const RequestsJsonSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), TemplateSchema)
  .refine((r) => Object.keys(r).length <= 100, {
    message: 'at most 100 request templates',
  });

export const InvokeOptionsSchema = z
  .object({
    context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    body: z.string().max(MAX_BODY).optional(),
  })
  .strict();
export type InvokeOptions = z.infer<typeof InvokeOptionsSchema>;

/** What invokeTemplate resolves with, and (non-2xx, or a platform refusal) rejects with. */
export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  response: string;
  errorSource?: 'APP' | 'PLATFORM';
}

export interface Installation {
  /** The installation's iparams, secure ones included (the platform's proxy sees them all). */
  iparams: Record<string, string>;
  /** Which of them are `secure: true` in config/iparams.json. */
  secure: ReadonlySet<string>;
}

type Field = 'host' | 'path' | 'query' | 'headers';

class TemplateError extends Error {}

const PLACEHOLDER = /<%=\s*([^%]*?)\s*%>/g;
const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function substitute(text: string, field: Field, installation: Installation, context: InvokeOptions['context']): string {
  if (/\{\{|<%(?!=)/.test(text)) throw new TemplateError(`${field}: only <%= iparam.x %> and <%= context.x %> placeholders are supported`);
  return text.replace(PLACEHOLDER, (_m, expr: string) => {
    const m = /^(iparam|context)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
    if (!m) throw new TemplateError(`${field}: unknown placeholder <%= ${expr} %>`);
    const [, kind, key] = m as unknown as [string, 'iparam' | 'context', string];
    if (kind === 'iparam') {
      if (installation.secure.has(key) && field !== 'headers') {
        throw new TemplateError(`${field}: secure iparam "${key}" can only be used in headers`);
      }
      const value = installation.iparams[key];
      if (value === undefined) throw new TemplateError(`${field}: the installation has no iparam "${key}"`);
      return value;
    }
    if (field !== 'path' && field !== 'query')
      throw new TemplateError(`${field}: context from the frontend is allowed only in path and query`);
    const value = context?.[key];
    if (value === undefined) throw new TemplateError(`${field}: context "${key}" was not given`);
    const text = String(value);
    if (field === 'path' && (/[/?#\\]/.test(text) || text === '..' || text === '.')) {
      throw new TemplateError(`path: context "${key}" may not contain / ? # or be a dot segment`);
    }
    return text;
  });
}

export interface RenderedRequest {
  method: string;
  host: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * The request a template makes, or a TemplateError. `origins` maps a host name to the origin the
 * sandbox really sends to (the local relay over http); any other host goes to https://host.
 */
export function renderTemplate(
  template: RequestTemplate,
  installation: Installation,
  options: InvokeOptions,
  origins: ReadonlyMap<string, string> = new Map(),
): RenderedRequest {
  const s = template.schema;
  const host = substitute(s.host, 'host', installation, options.context).toLowerCase();
  if (!HOST.test(host)) throw new TemplateError(`host: "${host}" is not a bare host name (no scheme, port or path)`);
  const path = substitute(s.path, 'path', installation, options.context);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(s.query ?? {})) query.append(k, substitute(v, 'query', installation, options.context));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.headers ?? {})) headers[k] = substitute(v, 'headers', installation, options.context);
  const origin = origins.get(host) ?? `https://${host}`;
  const qs = query.toString();
  return { method: s.method, host, url: `${origin}${path}${qs ? `?${qs}` : ''}`, headers };
}

/** The account's 50-a-minute budget, one sliding minute for every agent. */
export class CallBudget {
  private readonly calls: number[] = [];
  constructor(
    private readonly now: () => number = Date.now,
    private readonly perMinute = CALLS_PER_MINUTE,
  ) {}

  take(): boolean {
    const t = this.now();
    while (this.calls.length > 0 && this.calls[0]! <= t - 60_000) this.calls.shift();
    if (this.calls.length >= this.perMinute) return false;
    this.calls.push(t);
    return true;
  }
}

const platform = (status: number, message: string): InvokeResult => ({
  status,
  headers: {},
  response: JSON.stringify({ message }),
  errorSource: 'PLATFORM',
});

export interface TemplateRunner {
  invoke(name: string, options: unknown): Promise<{ ok: boolean; result: InvokeResult }>;
}

/** The platform's proxy for one installation: validates, substitutes, counts, sends, retries. */
export function templateRunner(deps: {
  requests: unknown;
  /** `modules.common.requests` of the manifest: the templates the app declared. */
  declared: readonly string[];
  installation: Installation;
  origins?: ReadonlyMap<string, string>;
  budget?: CallBudget;
  fetch?: typeof fetch;
}): TemplateRunner {
  const requests = RequestsJsonSchema.parse(deps.requests);
  const declared = new Set(deps.declared);
  const budget = deps.budget ?? new CallBudget();
  const send = deps.fetch ?? fetch;

  const attempt = async (req: RenderedRequest, body: string | undefined): Promise<InvokeResult> => {
    const res = await send(req.url, {
      method: req.method,
      headers: req.headers,
      ...(body !== undefined && req.method !== 'GET' ? { body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    if (text.length > MAX_BODY) return platform(502, 'The response is larger than 6 MB');
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, response: text, ...(res.ok ? {} : { errorSource: 'APP' as const }) };
  };

  return {
    async invoke(name, rawOptions) {
      const template = requests[name];
      if (!template || !declared.has(name))
        return { ok: false, result: platform(400, `Request template "${name}" is not declared in the manifest`) };
      const options = InvokeOptionsSchema.safeParse(rawOptions ?? {});
      if (!options.success)
        return { ok: false, result: platform(400, `Invalid invokeTemplate options: ${z.prettifyError(options.error)}`) };
      let req: RenderedRequest;
      try {
        req = renderTemplate(template, deps.installation, options.data, deps.origins);
      } catch (e) {
        if (e instanceof TemplateError) return { ok: false, result: platform(400, e.message) };
        throw e;
      }
      if (!budget.take())
        return { ok: false, result: platform(429, `Rate limit exceeded: at most ${CALLS_PER_MINUTE} requests a minute per account`) };
      const attempts = template.options?.maxAttempts ?? 1;
      let result: InvokeResult = platform(502, 'not sent');
      for (let i = 0; i < attempts; i += 1) {
        if (i > 0) await new Promise((r) => setTimeout(r, template.options?.retryDelay ?? 0));
        try {
          result = await attempt(req, options.data.body);
        } catch (e) {
          result =
            (e as Error).name === 'TimeoutError'
              ? platform(504, 'Timeout error while processing the request.')
              : platform(502, 'Error while connecting to the host');
          continue;
        }
        if (result.status !== 429 && result.status < 500) break;
      }
      return { ok: result.status >= 200 && result.status < 300 && result.errorSource === undefined, result };
    },
  };
}
