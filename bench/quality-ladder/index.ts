/**
 * The quality ladder on a real thin link: the phone's Chromium in a network namespace behind a veth
 * pair shaped with tc tbf (tests/support/shaped-link.ts), the agent's browser on the host. The link
 * is set to each rate in turn (`LADDER_RATES`, kbit/s, default 2000,600,150,40,2000) for
 * `DWELL_S` seconds (default 30). Per rate it prints the step the phone settles on, how long after
 * the change its first move came and when it settled, and what the phone actually sends over the
 * last 10 s of the dwell: video and voice (RTP bytes with their headers, from getStats) and
 * everything that crossed the link from the phone (the veth counters: media with its IP/UDP/SRTP
 * overhead, the socket, the page).
 *
 * Raw limit, measured in the same run before the call: what the shaped link carries from the phone
 * at each rate with nothing else on it (UDP at twice the rate, bytes on the wire that arrive).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { newAgentContext, newPhoneContext } from '../../tests/support/browser.js';
import { statusPill } from '../../tests/support/call-screen.js';
import { agentStartsVideo, customerJoins } from '../../tests/support/journey.js';
import { ratesBetween, recordPeerConnections, uplink } from '../../tests/support/peer-connections.js';
import { shapedLinksUnavailable, type ShapedLink } from '../../tests/support/shaped-link.js';
import { openPhoneBehindLink } from '../../tests/support/shaped-suite.js';

const RATES = (process.env.LADDER_RATES ?? '2000,600,150,40,2000').split(',').map(Number);
const DWELL_S = Number(process.env.DWELL_S ?? 30);
const run = promisify(execFile);

/**
 * What the link carries from the phone at its current rate with nothing else on it (kbit/s): UDP
 * datagrams of 1,200 bytes sent from the namespace at twice the rate for 4 s, counted on the host
 * over 2.5 s from the first second on (the bucket's burst is over by then).
 */
async function linkCapacity(link: ShapedLink, kbit: number): Promise<number> {
  // The kernel's own count of what reached the host end: every byte that got through the shaper.
  const received = () => Number(readFileSync(`/sys/class/net/${link.hostInterface}/statistics/rx_bytes`, 'utf8'));
  const server = createSocket('udp4');
  let first = 0;
  let from: { at: number; bytes: number } | null = null;
  let to: { at: number; bytes: number } | null = null;
  server.on('message', () => {
    const now = performance.now();
    if (first === 0) first = now;
    if (!from && now - first >= 1000) from = { at: now, bytes: received() };
    if (now - first < 3500) to = { at: now, bytes: received() };
  });
  await new Promise<void>((resolve) => server.bind(0, link.hostIp, resolve));
  const port = server.address().port;
  const perTick = Math.max(1, Math.round((2 * kbit * 1000) / 8 / 1200 / 200));
  const client = `const s=require('node:dgram').createSocket('udp4');const b=Buffer.alloc(1200,120);const end=Date.now()+4000;
const t=setInterval(()=>{if(Date.now()>end){clearInterval(t);s.close();return;}for(let i=0;i<${perTick};i++)s.send(b,${port},'${link.hostIp}');},5);`;
  await run('ip', ['netns', 'exec', link.namespace, process.execPath, '-e', client]).catch(() => undefined);
  server.close();
  if (!from || !to) return Number.NaN;
  const window = to as { at: number; bytes: number };
  const start = from as { at: number; bytes: number };
  return ((window.bytes - start.bytes) * 8) / (window.at - start.at);
}

function stepOf(phone: Page): Promise<string | null> {
  return phone.locator('.call').getAttribute('data-quality-step');
}

type Row = {
  rate: number;
  raw: number;
  step: string;
  firstMoveS: number | null;
  settledS: number | null;
  steps: string;
  videoKbps: number;
  voiceKbps: number;
  wireKbps: number;
};

async function main(): Promise<void> {
  const unavailable = shapedLinksUnavailable();
  if (unavailable) {
    console.log(`quality-ladder: skipped (${unavailable})`);
    return;
  }
  const world = await openPhoneBehindLink(RATES[0]!);
  const { link, product, browser, phoneBrowser } = world;
  const raw = new Map<number, number>();
  try {
    for (const rate of new Set(RATES)) {
      await link.shape(rate);
      raw.set(rate, await linkCapacity(link, rate));
    }
    await link.shape(RATES[0]!);
    const agent = await newAgentContext(browser, product.url);
    const customer = await newPhoneContext(phoneBrowser, product.url);
    await recordPeerConnections(customer);
    const { inviteUrl } = await agentStartsVideo(agent, 1201);
    const phone = await customerJoins(customer, inviteUrl);
    await statusPill(phone, 'Live').waitFor({ timeout: 60_000 });
    // Past the start: the first rate is measured from a call that already runs.
    await phone.waitForTimeout(10_000);

    const rows: Row[] = [];
    for (const rate of RATES) {
      await link.shape(rate);
      const start = performance.now();
      const seen: { at: number; step: string }[] = [];
      let before = await stepOf(phone);
      let tail: { up: Awaited<ReturnType<typeof uplink>>; wire: number; at: number } | null = null;
      while (performance.now() - start < DWELL_S * 1000) {
        const step = (await stepOf(phone)) ?? '?';
        if (step !== before) seen.push({ at: performance.now() - start, step });
        before = step;
        if (!tail && performance.now() - start >= (DWELL_S - 10) * 1000) {
          tail = { up: await uplink(phone), wire: (await link.traffic()).fromPhone, at: performance.now() };
        }
        await phone.waitForTimeout(250);
      }
      const up = await uplink(phone);
      const wire = (await link.traffic()).fromPhone;
      const rates = tail ? ratesBetween(tail.up, up) : { videoKbps: Number.NaN, audioKbps: Number.NaN };
      rows.push({
        rate,
        raw: raw.get(rate) ?? Number.NaN,
        step: (await stepOf(phone)) ?? '?',
        firstMoveS: seen.length ? seen[0]!.at / 1000 : null,
        settledS: seen.length ? seen.at(-1)!.at / 1000 : null,
        steps: seen.map((s) => s.step).join('→') || '(no move)',
        videoKbps: rates.videoKbps,
        voiceKbps: rates.audioKbps,
        wireKbps: tail ? ((wire - tail.wire) * 8) / (performance.now() - tail.at) : Number.NaN,
      });
    }

    const f = (n: number | null, digits = 0) => (n === null || Number.isNaN(n) ? '–' : n.toFixed(digits));
    console.log(`quality-ladder: ${RATES.length} rates, ${DWELL_S} s each; figures over the last 10 s of each`);
    console.log(
      'link kbit/s | link carries (raw) | settled step | first move s | settled s | moves | video kbit/s | voice kbit/s | from phone on the wire kbit/s',
    );
    for (const r of rows) {
      console.log(
        `${r.rate} | ${f(r.raw)} | ${r.step} | ${f(r.firstMoveS, 1)} | ${f(r.settledS, 1)} | ${r.steps} | ${f(r.videoKbps)} | ${f(r.voiceKbps)} | ${f(r.wireKbps)}`,
      );
    }
    await agent.close();
    await customer.close();
  } finally {
    await world.close();
  }
}

await main();
// The relay's and Playwright's leftovers (keep-alive sockets, timers) must not keep the bench waiting.
process.exit(0);
