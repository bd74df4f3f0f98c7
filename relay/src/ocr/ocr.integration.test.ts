import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type FakeHarness } from '../testing/harness.js';

describe('OCR assets under /ocr/', () => {
  let h: FakeHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each([
    ['worker.min.js', 'text/javascript'],
    ['tesseract-core-simd-lstm.wasm.js', 'text/javascript'],
    ['tesseract-core-relaxedsimd-lstm.wasm.js', 'text/javascript'],
    ['tesseract-core-lstm.wasm.js', 'text/javascript'],
    ['eng.traineddata.gz', 'application/gzip'],
    ['deu.traineddata.gz', 'application/gzip'],
    ['bul.traineddata.gz', 'application/gzip'],
    ['zxing_reader.wasm', 'application/wasm'],
  ])('serves %s as %s, cached for a year', async (name, type) => {
    const res = await fetch(`${h.relay.url}/ocr/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    expect(res.headers.get('cache-control')).toContain('max-age=31536000');
    // The worker's own policy: relay-only scripts and fetches, WebAssembly allowed.
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const body = new Uint8Array(await res.arrayBuffer());
    if (name.endsWith('.wasm')) expect([...body.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
    if (name.endsWith('.gz')) expect([...body.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(body.length).toBeGreaterThan(50_000);
  });

  it("sends the engine gzip'd to a browser that takes it, and the language data as shipped", async () => {
    const core = await fetch(`${h.relay.url}/ocr/tesseract-core-simd-lstm.wasm.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(core.headers.get('content-encoding')).toBe('gzip');
    // On the wire: under half of the 3.9 MB file.
    expect(Number(core.headers.get('content-length'))).toBeLessThan(2_000_000);
    expect((await core.text()).length).toBeGreaterThan(3_000_000);
    const plain = await fetch(`${h.relay.url}/ocr/zxing_reader.wasm`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect([...new Uint8Array(await plain.arrayBuffer()).subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
    const lang = await fetch(`${h.relay.url}/ocr/deu.traineddata.gz`, { headers: { 'accept-encoding': 'gzip' } });
    expect(lang.headers.get('content-encoding')).toBeNull();
    expect([...new Uint8Array(await lang.arrayBuffer()).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  });

  it.each([
    'tesseract-core-simd-lstm.wasm',
    'package.json',
    '..%2F..%2Fpackage.json',
    '..%2Fpackage.json',
    '%2E%2E%2Frelay%2Fpackage.json',
    'eng.traineddata',
    'fra.traineddata.gz',
  ])('answers 404 for %s, a file outside the allow-list', async (name) => {
    const res = await fetch(`${h.relay.url}/ocr/${name}`);
    expect(res.status).toBe(404);
  });

  it('answers 404 below /ocr/ and for a path that climbs out of it', async () => {
    for (const path of ['/ocr/', '/ocr/x/worker.min.js', '/ocr/../package.json', '/ocr/%2e%2e/package.json']) {
      expect((await fetch(`${h.relay.url}${path}`)).status, path).toBe(404);
    }
  });

  it('lets the console compile WebAssembly, never the customer page', async () => {
    const consolePolicy = (await fetch(`${h.relay.url}/app/console`)).headers.get('content-security-policy') ?? '';
    const appPolicy = (await fetch(`${h.relay.url}/app/anything`)).headers.get('content-security-policy') ?? '';
    const joinPolicy = (await fetch(`${h.relay.url}/join/not-a-token`)).headers.get('content-security-policy') ?? '';
    expect(consolePolicy).toContain("'wasm-unsafe-eval'");
    expect(appPolicy).toContain("'wasm-unsafe-eval'");
    expect(consolePolicy).toContain("worker-src 'self' blob:");
    expect(joinPolicy).not.toContain('wasm-unsafe-eval');
    expect(joinPolicy).toContain("script-src 'self'");
  });
});
