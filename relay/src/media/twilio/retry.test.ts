import { describe, expect, it } from 'vitest';
import { isRetryable, withRetry } from './retry.js';

const rest = (status: number, code?: number) => Object.assign(new Error(`HTTP ${status}`), { status, code });

describe('withRetry', () => {
  const noSleep = { attempts: 3, baseDelayMs: 10, maxDelayMs: 40, sleep: () => Promise.resolve() };

  it('retries 5xx and network errors up to the bound, then gives up with the last error', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(rest(503));
    };
    await expect(withRetry(failing, noSleep)).rejects.toThrow('HTTP 503');
    expect(calls).toBe(3);
  });

  it('does not retry a 4xx answer', async () => {
    let calls = 0;
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(rest(400, 53113));
      }, noSleep),
    ).rejects.toThrow('HTTP 400');
    expect(calls).toBe(1);
  });

  it('waits longer after each failure', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      () => (++calls < 4 ? Promise.reject(rest(500)) : Promise.resolve('ok')),
      { ...noSleep, attempts: 4 },
      (_err, _attempt, delay) => delays.push(delay),
    );
    expect(result).toBe('ok');
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeGreaterThanOrEqual(5);
    expect(delays[0]).toBeLessThanOrEqual(10);
    expect(delays[2]).toBeGreaterThanOrEqual(20);
    expect(delays[2]).toBeLessThanOrEqual(40);
  });
});

describe('isRetryable', () => {
  it('classifies', () => {
    expect(isRetryable(rest(500))).toBe(true);
    expect(isRetryable(rest(429))).toBe(true);
    expect(isRetryable(rest(404, 20404))).toBe(false);
    expect(isRetryable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('socket hang up'), { isAxiosError: true }))).toBe(true);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });
});
