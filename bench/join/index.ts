/**
 * Join time: from the customer pressing `Proceed with the call` (camera and microphone already
 * allowed, as for a returning customer) to the first remote video frame the specialist's console
 * presents. The agent and the phone are two browsers on this machine (a phone shares no camera with
 * the console), so Date.now() is one clock for both.
 *
 * The raw limit, in the same run and interleaved join by join: the same two browsers, a fresh phone
 * context each time, bare `getUserMedia` (the product's camera constraints) + `RTCPeerConnection`
 * signalled over a bare WebSocket, to the first decoded frame on the other page.
 *
 * Each side prints a timeline per stage (median time since the press / the start).
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser, newAgentContext, newPhoneContext } from '../../tests/support/browser.js';
import { agentStartsVideo, passLocationStepIfShown } from '../../tests/support/journey.js';
import { startBareServer } from '../bare-server.js';
import { startRelayProcess } from '../relay-process.js';
import { median, ms, percentile } from '../stats.js';

const JOINS = Number(process.env.JOINS ?? 12);
const WARMUP = 2;

type Marks = Record<string, number | undefined>;

/**
 * Phone side of the product: stamps (Date.now()) when the location answer goes out, when the camera
 * is open and when its tracks are handed to the peer connection. Source text: see FIRST_FRAME_PROBE.
 */
const PHONE_STAGES = `(() => {
  const marks = (window.__joinMarks = {});
  const md = navigator.mediaDevices;
  if (md) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (c) => { const s = await gum(c); marks.camera ??= Date.now(); return s; };
  }
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"location"')) marks.location ??= Date.now();
    return send.call(this, data);
  };
  const tracks = () => { marks.tracks ??= Date.now(); };
  const addTransceiver = RTCPeerConnection.prototype.addTransceiver;
  RTCPeerConnection.prototype.addTransceiver = function (what, init) {
    if (typeof what !== 'string') tracks();
    return addTransceiver.call(this, what, init);
  };
  const addTrack = RTCPeerConnection.prototype.addTrack;
  RTCPeerConnection.prototype.addTrack = function (...args) { tracks(); return addTrack.apply(this, args); };
  const replaceTrack = RTCRtpSender.prototype.replaceTrack;
  RTCRtpSender.prototype.replaceTrack = function (track) { if (track) tracks(); return replaceTrack.call(this, track); };
})()`;

/** Console side: when each remote video track's first packet arrived (the track unmutes). */
const CONSOLE_STAGES = `(() => {
  const firstPacket = (window.__firstPacketAt = {});
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  window.RTCPeerConnection = new Proxy(Native, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget);
      pc.addEventListener('track', (e) => {
        const t = e.track;
        if (t.kind !== 'video') return;
        const stamp = () => { firstPacket[t.id] ??= Date.now(); };
        if (!t.muted) stamp(); else t.addEventListener('unmute', stamp, { once: true });
      });
      return pc;
    },
  });
})()`;

/**
 * Resolves (in the console frame) with Date.now() at the first frame of a new remote track and the
 * track's id. Kept as source text: tsx would wrap named functions in a helper the page does not have.
 */
const FIRST_FRAME_PROBE = `new Promise((resolve, reject) => {
  const current = () => document.querySelector('[data-testid="remote-video"]');
  const trackOf = (v) => (v && v.srcObject instanceof MediaStream ? v.srcObject.getVideoTracks()[0]?.id : undefined) ?? null;
  const before = trackOf(current());
  const started = performance.now();
  const tick = () => {
    const video = current();
    const track = trackOf(video);
    if (video && track && track !== before) {
      video.requestVideoFrameCallback(() => resolve({ frame: Date.now(), track }));
      return;
    }
    if (performance.now() - started > 30000) reject(new Error('no new remote track within 30 s'));
    else setTimeout(tick, 2);
  };
  tick();
})`;

/** The raw receiver: answers any offer on the bare socket and reports first packet and first frame. */
const RAW_RECEIVER = (ws: string) => `new Promise((ready) => {
  const socket = new WebSocket(${JSON.stringify(ws)});
  let pc = null;
  let chain = Promise.resolve();
  socket.onmessage = (e) => { const m = JSON.parse(e.data); chain = chain.then(() => handle(m)).catch((err) => console.error(err)); };
  const handle = async (m) => {
    if (m.offer) {
      pc?.close();
      pc = new RTCPeerConnection();
      const marks = {};
      pc.onicecandidate = (ev) => { if (ev.candidate) socket.send(JSON.stringify({ candidate: ev.candidate })); };
      pc.ontrack = (ev) => {
        if (ev.track.kind !== 'video') return;
        const t = ev.track;
        const stamp = () => { marks.firstPacket ??= Date.now(); };
        if (!t.muted) stamp(); else t.addEventListener('unmute', stamp, { once: true });
        const video = document.querySelector('video');
        video.srcObject = new MediaStream([t]);
        video.requestVideoFrameCallback(() => { marks.firstFrame = Date.now(); window.__rawDone?.(marks); });
      };
      await pc.setRemoteDescription(m.offer);
      await pc.setLocalDescription(await pc.createAnswer());
      socket.send(JSON.stringify({ answer: pc.localDescription }));
    } else if (m.candidate && pc) {
      await pc.addIceCandidate(m.candidate);
    }
  };
  socket.onopen = () => ready();
})`;

/** The raw sender: socket, camera (the product's constraints), tracks, offer; returns its stamps. */
const RAW_SENDER = (ws: string) => `(async () => {
  const marks = { start: Date.now() };
  const socket = new WebSocket(${JSON.stringify(ws)});
  await new Promise((r) => { socket.onopen = r; });
  marks.socket = Date.now();
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  marks.camera = Date.now();
  const pc = new RTCPeerConnection();
  window.__pc = pc;
  pc.onicecandidate = (ev) => { if (ev.candidate) socket.send(JSON.stringify({ candidate: ev.candidate })); };
  let chain = Promise.resolve();
  socket.onmessage = (e) => {
    const m = JSON.parse(e.data);
    chain = chain.then(async () => {
      if (m.answer) await pc.setRemoteDescription(m.answer);
      else if (m.candidate) await pc.addIceCandidate(m.candidate);
    }).catch((err) => console.error(err));
  };
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  marks.tracks = Date.now();
  await pc.setLocalDescription(await pc.createOffer());
  socket.send(JSON.stringify({ offer: pc.localDescription }));
  return marks;
})()`;

type Timeline = { total: number; stages: Marks };

async function productJoin(phoneBrowser: Browser, base: string, inviteUrl: string, specialist: Frame): Promise<Timeline> {
  const customer = await newPhoneContext(phoneBrowser, base, 'en-US', { grantMedia: true });
  try {
    await customer.addInitScript(PHONE_STAGES);
    const page = await customer.newPage();
    await page.goto(inviteUrl);
    await page.getByRole('checkbox', { name: 'I accept the privacy policy' }).check();
    const firstFrame = specialist.evaluate(FIRST_FRAME_PROBE) as Promise<{ frame: number; track: string }>;
    const pressedAt = Date.now();
    await page.getByRole('button', { name: 'Proceed with the call' }).click();
    await passLocationStepIfShown(page);
    const { frame, track } = await firstFrame;
    const phone = (await page.evaluate('window.__joinMarks')) as Marks;
    const packet = (await specialist.evaluate(`window.__firstPacketAt[${JSON.stringify(track)}]`)) as number | undefined;
    const since = (t: number | undefined) => (t === undefined ? undefined : t - pressedAt);
    return {
      total: frame - pressedAt,
      stages: {
        'location answered': since(phone.location),
        camera: since(phone.camera),
        'tracks attached': since(phone.tracks),
        'first packet': since(packet),
        'first decoded frame': frame - pressedAt,
      },
    };
  } finally {
    await customer.close();
  }
}

async function rawJoin(phoneBrowser: Browser, receiver: Page, bareUrl: string, ws: string): Promise<Timeline> {
  const customer: BrowserContext = await newPhoneContext(phoneBrowser, bareUrl, 'en-US', { grantMedia: true });
  try {
    const page = await customer.newPage();
    await page.goto(bareUrl);
    const done = receiver.evaluate('new Promise((r) => { window.__rawDone = r; })') as Promise<Marks>;
    const sent = (await page.evaluate(RAW_SENDER(ws))) as Marks;
    const received = await done;
    const start = sent.start!;
    const since = (t: number | undefined) => (t === undefined ? undefined : t - start);
    return {
      total: received.firstFrame! - start,
      stages: {
        'socket open': since(sent.socket),
        camera: since(sent.camera),
        'tracks attached': since(sent.tracks),
        'first packet': since(received.firstPacket),
        'first decoded frame': since(received.firstFrame),
      },
    };
  } finally {
    await customer.close();
  }
}

function printTimeline(label: string, runs: Timeline[]): void {
  const names = Object.keys(runs[0]?.stages ?? {});
  const cells = names.map((name) => {
    const values = runs.map((r) => r.stages[name]).filter((v): v is number => v !== undefined);
    return `${name} ${values.length > 0 ? ms(median(values)) : '—'}`;
  });
  console.log(`  ${label}: ${cells.join(' → ')}`);
}

async function main(): Promise<void> {
  const product = await startRelayProcess();
  const bare = await startBareServer();
  const ws = bare.url.replace(/^http/, 'ws');
  const [browser, phoneBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
  const productRuns: Timeline[] = [];
  const rawRuns: Timeline[] = [];
  try {
    const agent = await newAgentContext(browser, product.url);
    await agent.addInitScript(CONSOLE_STAGES);
    const { console: specialist, inviteUrl } = await agentStartsVideo(agent);
    const receiver = await agent.newPage();
    await receiver.goto(bare.url);
    await receiver.evaluate(RAW_RECEIVER(ws));
    // Interleaved: a load spike on this shared machine hits both figures alike.
    for (let i = 0; i < JOINS + WARMUP; i += 1) {
      const p = await productJoin(phoneBrowser, product.url, inviteUrl, specialist);
      const r = await rawJoin(phoneBrowser, receiver, bare.url, ws);
      if (i >= WARMUP) {
        productRuns.push(p);
        rawRuns.push(r);
      }
      // Let the relay free the customer seat before the next device joins.
      await specialist.waitForTimeout(300);
    }
    await agent.close();
  } finally {
    await Promise.all([browser.close(), phoneBrowser.close()]);
    await Promise.all([product.close(), bare.close()]);
  }
  const p = productRuns.map((r) => r.total);
  const r = rawRuns.map((x) => x.total);
  console.log(`joins measured: ${p.length} product + ${r.length} raw, interleaved (after ${WARMUP} warm-up each)`);
  console.log(
    `product, Proceed → first remote frame on the agent side: median ${ms(median(p))}, p95 ${ms(percentile(p, 95))}, min ${ms(Math.min(...p))}, max ${ms(Math.max(...p))}`,
  );
  console.log(
    `raw, getUserMedia + RTCPeerConnection over a bare WebSocket → first decoded frame: median ${ms(median(r))}, p95 ${ms(percentile(r, 95))}, min ${ms(Math.min(...r))}, max ${ms(Math.max(...r))}`,
  );
  const ratio = median(p) / median(r);
  console.log(`ratio product / raw (medians): ${ratio.toFixed(2)}×`);
  console.log('timeline (median ms since the press / the start):');
  printTimeline('product', productRuns);
  printTimeline('raw    ', rawRuns);
  console.log(`target: median ≤ 1.5× raw → ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
