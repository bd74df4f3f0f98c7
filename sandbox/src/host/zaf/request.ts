import type { RequestOptions } from './messages.js';

export interface RequestOutcome {
  ok: boolean;
  responseArgs: unknown[];
}

/** Replaces `{{setting.name}}` like Zendesk's proxy does; unknown names are an error, not a silent blank. */
export function fillSettings(text: string, settings: Record<string, string>): string {
  return text.replace(/\{\{\s*setting\.([\w.-]+)\s*\}\}/g, (_m, name: string) => {
    const value = settings[name];
    if (value === undefined) throw new Error(`Unknown setting "${name}"`);
    return value;
  });
}

function encodeForm(data: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) q.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  return q.toString();
}

/** Performs `client.request` from the host page and answers in the SDK's jQuery-like shapes. */
export async function performRequest(opts: RequestOptions, settings: Record<string, string>): Promise<RequestOutcome> {
  const fail = (status: number, responseText: string): RequestOutcome => ({
    ok: false,
    responseArgs: [{ status, statusText: 'error', responseText, headers: {} }],
  });
  let url: URL;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  const method = (opts.type ?? 'GET').toUpperCase();
  try {
    url = new URL(fillSettings(opts.url, settings), window.location.href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(0, `Unsupported URL ${url.protocol}`);
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k] = fillSettings(v, settings);
    const contentType = opts.contentType === false ? undefined : (opts.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8');
    if (typeof opts.data === 'string') {
      const filled = fillSettings(opts.data, settings);
      if (method === 'GET' || method === 'HEAD') url.search += (url.search ? '&' : '') + filled;
      else body = filled;
    } else if (opts.data !== undefined && opts.data !== null && typeof opts.data === 'object') {
      const data = opts.data as Record<string, unknown>;
      if (method === 'GET' || method === 'HEAD') for (const [k, v] of Object.entries(data)) url.searchParams.append(k, String(v));
      else body = contentType?.includes('json') ? JSON.stringify(data) : encodeForm(data);
    }
    if (body !== undefined && contentType) headers['Content-Type'] = contentType;
  } catch (e) {
    return fail(400, e instanceof Error ? e.message : String(e));
  }

  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: AbortSignal.timeout(opts.timeout ?? 30_000),
    });
  } catch (e) {
    return fail(0, e instanceof Error ? e.message : String(e));
  }
  const responseText = await res.text();
  let responseJSON: unknown;
  if (opts.dataType === 'json' || (opts.dataType === undefined && (res.headers.get('content-type') ?? '').includes('json'))) {
    try {
      responseJSON = JSON.parse(responseText);
    } catch {
      responseJSON = undefined;
    }
  }
  const responseHeaders = Object.fromEntries(res.headers.entries());
  const xhr = { status: res.status, statusText: res.statusText, responseText, responseJSON, headers: responseHeaders };
  const ok = (res.status >= 200 && res.status < 300) || res.status === 304;
  if (!ok) return { ok, responseArgs: [xhr] };
  if (opts.httpCompleteResponse)
    return { ok, responseArgs: [{ status: res.status, headers: responseHeaders, responseText, responseJSON }] };
  return { ok, responseArgs: [responseJSON ?? responseText, 'success', xhr] };
}
