/**
 * First load on a mid-range phone: the customer opens the invite link on an emulated phone (Chromium
 * CDP: CPU throttled 4×, 400 kbit/s down, 400 ms round trip, cold cache every load) and we count the
 * JS and CSS it fetched before the consent screen became usable, and the time from navigation start
 * to that moment. "Usable" means the privacy checkbox and the Proceed button are rendered and wired
 * (the page renders on the client, so present means handled).
 *
 * The raw limit in the same run: the same emulated phone loading a static page of the same HTML
 * shell and no script at all, i.e. what the network alone costs for one document round trip.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, newAgentContext, newPhoneContext } from '../../tests/support/browser.js';
import { agentStartsVideo } from '../../tests/support/journey.js';
import { startRelayProcess } from '../relay-process.js';
import { median, ms, percentile } from '../stats.js';

const LOADS = Number(process.env.LOADS ?? 5);
const CPU_SLOWDOWN = 4;
const DOWN_KBIT = 400;
const RTT_MS = 400;

/** Marks performance.now() when the consent checkbox and Proceed button exist (a MutationObserver, no polling). */
const USABLE_PROBE = `(() => {
  const usable = () => {
    const box = document.querySelector('input[type="checkbox"]');
    const go = [...document.querySelectorAll('button')].find((b) => /proceed/i.test(b.textContent || ''));
    return box && go && box.isConnected;
  };
  const observer = new MutationObserver(() => {
    if (!window.__consentUsableAt && usable()) {
      window.__consentUsableAt = performance.now();
      observer.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
})()`;

type Asset = { url: string; type: 'script' | 'stylesheet'; wire: number; raw: number; gzip: number };
/** One Resource Timing entry, in ms since navigation start. */
type Fetched = { name: string; startTime: number; responseEnd: number; transferSize: number };

async function emulatePhone(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: (DOWN_KBIT * 1000) / 8,
    uploadThroughput: (DOWN_KBIT * 1000) / 8,
  });
}

async function loadOnce(phone: Awaited<ReturnType<typeof launchBrowser>>, base: string, url: string) {
  const context = await newPhoneContext(phone, base, 'en-US');
  try {
    const page = await context.newPage();
    await page.addInitScript(USABLE_PROBE);
    await emulatePhone(page);
    // Bodies by URL, to report their gzip size whatever the server sent.
    const bodies = new Map<string, Promise<Asset | null>>();
    page.on('requestfinished', (request) => {
      const type = request.resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      bodies.set(
        request.url(),
        (async (): Promise<Asset | null> => {
          const response = await request.response();
          if (!response) return null;
          const body = await response.body();
          const sizes = await request.sizes();
          const url = new URL(request.url()).pathname;
          return { url, type, wire: sizes.responseBodySize, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
        })().catch(() => null), // a prefetch still finishing when the context closes
      );
    });
    await page.goto(url, { waitUntil: 'commit' });
    // Polled with evaluate: waitForFunction evaluates with the page's eval, which its CSP refuses.
    const deadline = Date.now() + 120_000;
    while ((await page.evaluate('window.__consentUsableAt === undefined')) === true) {
      if (Date.now() > deadline) throw new Error('the consent screen was not usable within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const usableAt = (await page.evaluate('window.__consentUsableAt')) as number;
    const timeline = (await page.evaluate(`[
      ...performance.getEntriesByType('navigation').map((e) => ({ name: 'document', startTime: 0, responseEnd: e.responseEnd, transferSize: e.transferSize })),
      ...performance.getEntriesByType('resource').map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd, transferSize: e.transferSize })),
    ]`)) as Fetched[];
    // Everything fetched up to the moment the consent screen was usable counts; later prefetches do not.
    const before = timeline.filter((f) => f.responseEnd <= usableAt);
    const assets = (await Promise.all(before.map((f) => bodies.get(f.name) ?? Promise.resolve(null)))).filter(
      (a): a is Asset => a !== null,
    );
    return { usableAt, assets, timeline: before };
  } finally {
    await context.close();
  }
}

/** The same emulated phone opening a bare HTML page of the same size with no scripts: the network's own cost. */
async function rawOnce(phone: Awaited<ReturnType<typeof launchBrowser>>, base: string) {
  const context = await newPhoneContext(phone, base, 'en-US');
  try {
    const page = await context.newPage();
    await emulatePhone(page);
    await page.goto(`${base}/healthz`, { waitUntil: 'load' });
    return (await page.evaluate('performance.getEntriesByType("navigation")[0].responseEnd')) as number;
  } finally {
    await context.close();
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const product = await startRelayProcess();
  const [agentBrowser, phone] = await Promise.all([launchBrowser(), launchBrowser()]);
  const times: number[] = [];
  const raws: number[] = [];
  let last: Asset[] = [];
  let lastTimeline: Fetched[] = [];
  try {
    const agent = await newAgentContext(agentBrowser, product.url);
    const { inviteUrl } = await agentStartsVideo(agent);
    for (let i = 0; i < LOADS; i += 1) {
      raws.push(await rawOnce(phone, product.url));
      const { usableAt, assets, timeline } = await loadOnce(phone, product.url, inviteUrl);
      times.push(usableAt);
      last = assets;
      lastTimeline = timeline;
    }
    await agent.close();
  } finally {
    await Promise.all([agentBrowser.close(), phone.close()]);
    await product.close();
  }
  const sum = (type: Asset['type'], key: 'wire' | 'raw' | 'gzip') => last.filter((a) => a.type === type).reduce((n, a) => n + a[key], 0);
  console.log(`emulated phone: CPU ${CPU_SLOWDOWN}× slower, ${DOWN_KBIT} kbit/s down, ${RTT_MS} ms RTT, cold cache; ${LOADS} loads`);
  console.log('fetched before the consent screen was usable:');
  for (const a of last) {
    console.log(
      `  ${a.type.padEnd(10)} ${a.url.padEnd(48)} ${kib(a.raw).padStart(10)} raw ${kib(a.gzip).padStart(9)} gzip ${kib(a.wire).padStart(9)} on the wire`,
    );
  }
  for (const type of ['script', 'stylesheet'] as const) {
    console.log(
      `  ${type === 'script' ? 'JS ' : 'CSS'} total: ${kib(sum(type, 'raw'))} raw, ${kib(sum(type, 'gzip'))} gzip, ${kib(sum(type, 'wire'))} on the wire`,
    );
  }
  console.log('timeline of the last load (ms since navigation start):');
  for (const f of lastTimeline) {
    const name = f.name === 'document' ? 'document' : new URL(f.name).pathname;
    console.log(`  ${f.startTime.toFixed(0).padStart(6)} → ${f.responseEnd.toFixed(0).padStart(6)}  ${name}`);
  }
  console.log(`  ${times.at(-1)!.toFixed(0).padStart(6)}            consent screen usable`);
  const t = median(times);
  const r = median(raws);
  console.log(
    `navigation → consent usable: median ${ms(t)}, p95 ${ms(percentile(times, 95))}, min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}`,
  );
  console.log(`raw limit (bare document, same emulation, same run): median ${ms(r)} → ratio ${(t / r).toFixed(2)}×`);
  console.log(
    `targets: JS ≤ 80 KiB gzip → ${sum('script', 'gzip') <= 80 * 1024 ? 'met' : 'NOT met'}; usable ≤ 3000 ms → ${t <= 3000 ? 'met' : 'NOT met'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
