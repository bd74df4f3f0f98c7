import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttp from 'twilio/lib/http/response.js';
import type { TwilioConfig } from '../../config/twilio.js';
import { timed, type ExternalCalls } from '../../metrics/external.js';

export type TwilioClient = twilio.Twilio;

/**
 * A REST client authenticated with the API key (never the auth token, which only verifies
 * webhooks). `httpClient` lets tests send every request to a local stand-in for Twilio.
 */
export function createTwilioClient(
  config: Pick<TwilioConfig, 'accountSid' | 'apiKeySid' | 'apiKeySecret'>,
  options: { httpClient?: twilio.RequestClient; timeoutMs?: number; calls?: ExternalCalls } = {},
): TwilioClient {
  const timeout = options.timeoutMs ?? 10_000;
  const httpClient = options.calls ? new TimedRequestClient(options.calls, options.httpClient, { timeout }) : options.httpClient;
  return twilio(config.apiKeySid, config.apiKeySecret, {
    accountSid: config.accountSid,
    ...(httpClient ? { httpClient } : {}),
    timeout,
  });
}

/**
 * Times every REST request the SDK makes (each retry on its own) for the relay's Twilio metrics,
 * through `inner` when given (a test's stand-in) or Twilio's own client.
 */
export class TimedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly calls: ExternalCalls,
    private readonly inner?: twilio.RequestClient,
    options?: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioHttp.default<TData>> {
    return timed(
      this.calls,
      () => (this.inner ? this.inner.request<TData>(opts) : super.request<TData>(opts)),
      (res) => res.statusCode,
    );
  }
}

/**
 * Twilio's own request client with every URL re-based onto `baseUrl` (path and query kept), so
 * requests are serialised exactly as in production but land on a local HTTP server.
 */
export class RebasedRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, options?: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(options);
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioHttp.default<TData>> {
    const original = new URL(opts.uri);
    const rebased = new URL(`${original.pathname}${original.search}`, this.base);
    // Keep which Twilio host was meant (video., api.) visible to the stand-in.
    const headers = { ...opts.headers, 'X-Twilio-Host': original.host };
    return super.request<TData>({ ...opts, uri: rebased.toString(), headers });
  }
}
