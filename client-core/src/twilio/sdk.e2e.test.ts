import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The transport talks to twilio-video through structural types (its typings hide the
// EventEmitter methods), so this checks those assumptions against the real SDK in Chromium,
// bundled by Vite the way the apps are. Twilio itself is made unreachable: no account needed.

const HERE = fileURLToPath(new URL('.', import.meta.url));

const ENTRY = `
import { TwilioTransport } from ${JSON.stringify(join(HERE, 'transport.ts'))};
import { loadTwilioVideo } from ${JSON.stringify(join(HERE, 'sdk.ts'))};
window.probe = async () => {
  const sdk = await loadTwilioVideo();
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const camera = stream.getVideoTracks()[0];
  const mic = stream.getAudioTracks()[0];
  const video = new sdk.LocalVideoTrack(camera);
  const audio = new sdk.LocalAudioTrack(mic);
  let calls = 0;
  const listener = () => calls++;
  video.on('disabled', listener);
  video.disable();
  video.removeListener('disabled', listener);
  video.enable();
  video.disable();
  audio.disable();
  const micEnabledAfterDisable = mic.enabled;
  audio.enable(true);
  video.stop();
  return {
    isSupported: sdk.isSupported,
    wrapsSameTrack: video.mediaStreamTrack === camera && audio.mediaStreamTrack === mic,
    listenerCalls: calls,
    micEnabledAfterDisable,
    micEnabledAfterEnable: mic.enabled,
    cameraAfterStop: camera.readyState,
  };
};
window.connectUnreachable = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const transport = new TwilioTransport({
    role: 'customer',
    getToken: async () => ({ token: 'not-a-real-token', roomName: 'live-assist-e2e' }),
  });
  const states = [];
  const errors = [];
  transport.on('state', (s) => states.push(s));
  transport.on('error', (e) => errors.push({ code: e.code, key: e.key }));
  await transport.connect(stream);
  transport.leave();
  return { states, errors, tracksAfterLeave: stream.getTracks().map((t) => t.readyState) };
};
`;

let dir: string;
let server: Server;
let base: string;
let browser: Browser;
let assets: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twilio-sdk-e2e-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>');
  writeFileSync(join(dir, 'main.js'), ENTRY);
  await build({ configFile: false, root: dir, logLevel: 'warn', build: { outDir: join(dir, 'dist'), minify: false } });
  const dist = join(dir, 'dist');
  assets = readdirSync(join(dist, 'assets'));
  server = createServer((req, res) => {
    const path = req.url === '/' ? '/index.html' : (req.url ?? '/');
    try {
      const body = readFileSync(join(dist, path));
      res.writeHead(200, { 'Content-Type': extname(path) === '.js' ? 'text/javascript' : 'text/html' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-sandbox',
      // Deterministic "network down" for Twilio's signaling, with or without internet.
      '--host-resolver-rules=MAP *.twilio.com ~NOTFOUND',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('twilio-video in Chromium', () => {
  it('stays out of the initial bundle and loads only when asked', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(base);
    await page.waitForFunction(() => 'probe' in window);
    expect(scripts).toHaveLength(1);
    const entry = readFileSync(join(dir, 'dist', scripts[0]!), 'utf8');
    expect(entry).not.toContain('vss.twilio.com');
    const lazy = assets.filter((a) => a.endsWith('.js') && !scripts[0]!.endsWith(a));
    expect(lazy.some((a) => readFileSync(join(dir, 'dist', 'assets', a), 'utf8').includes('vss.twilio.com'))).toBe(true);

    const probe = await page.evaluate(() => (window as unknown as { probe: () => Promise<unknown> }).probe());
    expect(scripts.length).toBeGreaterThan(1);
    expect(probe).toEqual({
      isSupported: true,
      wrapsSameTrack: true,
      listenerCalls: 1,
      micEnabledAfterDisable: false,
      micEnabledAfterEnable: true,
      cameraAfterStop: 'ended',
    });
    await page.close();
  });

  it('maps an unreachable Twilio to a failed call with a clear error, and leave stops the tracks', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForFunction(() => 'connectUnreachable' in window);
    const result = await page.evaluate(() => (window as unknown as { connectUnreachable: () => Promise<unknown> }).connectUnreachable());
    expect(result).toEqual({
      states: ['connecting', 'failed'],
      errors: [{ code: 53000, key: 'twilio.signaling' }],
      tracksAfterLeave: ['ended', 'ended'],
    });
    await page.close();
  });
});
