import { WebSocket } from 'ws';
import { expect } from 'vitest';
import type { z } from 'zod';
import { ApiErrorSchema } from '@live-assist/protocol';
import type { FuzzBody } from './bodies.js';

export interface Answer {
  status: number;
  type: string;
  text: string;
}

/** Backstop for one request: many times what the slowest (an image decode) takes. */
const ANSWER_MS = 15_000;

/** Posts generated bodies to a relay and counts the answers by route and status. */
export class BodyPoster {
  readonly byRoute: Record<string, Record<number, number>> = {};

  constructor(private readonly baseUrl: string) {}

  async post(route: string, path: string, body: FuzzBody, headers: Record<string, string> = {}): Promise<Answer> {
    const sent = new Headers(headers);
    if (body.contentType !== null) sent.set('Content-Type', body.contentType);
    if (body.contentEncoding !== null) sent.set('Content-Encoding', body.contentEncoding);
    // A request the relay never answers is a finding too (a hang), not a stuck test.
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: sent,
      body: new Uint8Array(body.body),
      signal: AbortSignal.timeout(ANSWER_MS),
    }).catch((error: Error) => {
      throw new Error(`${route}: no answer (${error.message}) to ${body.origin} (${body.contentType}, ${body.contentEncoding})`);
    });
    const byStatus = (this.byRoute[route] ??= {});
    byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  get count(): number {
    return Object.values(this.byRoute).reduce((n, byStatus) => n + Object.values(byStatus).reduce((m, c) => m + c, 0), 0);
  }
}

/** Never a 5xx; on the API (`json`) every 4xx is `{error:{code,message}}` as JSON. */
export function expectClientError(answer: Answer, what: string, json = true): void {
  const detail = `${what}: ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, detail).toBeGreaterThanOrEqual(400);
  expect(answer.status, detail).toBeLessThan(500);
  if (!json) return;
  expect(answer.type, detail).toMatch(/^application\/json/);
  expect(ApiErrorSchema.safeParse(JSON.parse(answer.text)).success, detail).toBe(true);
}

/** Whether the route's schema takes these bytes as a JSON body. */
export function schemaAccepts(schema: z.ZodType, bytes: Uint8Array): boolean {
  try {
    return schema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8'))).success;
  } catch {
    return false;
  }
}

/** A body of a value and a claimed type, as JSON text. */
export function jsonBody(value: unknown, type: string | null): FuzzBody {
  const plain = Buffer.from(JSON.stringify(value) ?? 'null');
  return { plain, body: plain, contentType: type, contentEncoding: null, origin: 'extra' };
}

/** The HTTP status an upgrade request gets ('open' if it became a socket). */
export function upgradeStatus(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('error', (error) => resolve(`error: ${error.message}`));
  });
}
