import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttp from 'twilio/lib/http/response.js';
import type { TwilioConfig } from '../../config/twilio.js';

export type TwilioClient = twilio.Twilio;

/**
 * A REST client authenticated with the API key (never the auth token, which only verifies
 * webhooks). `httpClient` lets tests send every request to a local stand-in for Twilio.
 */
export function createTwilioClient(
  config: Pick<TwilioConfig, 'accountSid' | 'apiKeySid' | 'apiKeySecret'>,
  options: { httpClient?: twilio.RequestClient; timeoutMs?: number } = {},
): TwilioClient {
  return twilio(config.apiKeySid, config.apiKeySecret, {
    accountSid: config.accountSid,
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    timeout: options.timeoutMs ?? 10_000,
  });
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
