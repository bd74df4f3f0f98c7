import type { Frame, Page } from 'playwright-core';
import { BARCODE, decodeFrameIndex } from './frame-barcode.js';
import type { MovingObjectScene } from './moving-object.js';
import { fitted } from './picture.js';

/**
 * Driving an anchored mark over a call whose phone films the moving-object clip with its frame
 * counter (`frame-barcode.ts`): where the object is on the console's picture, a rectangle drawn
 * around it, and what the phone shows, frame by frame, read off its own preview and its overlay.
 * Shared by `tests/e2e/anchored-marks.e2e.test.ts` and `bench/anchored-marks`.
 */

/** What the phone showed on one of its preview's frames. */
export type PhoneSample = {
  /** The clip's frame on the phone's preview (barcode), null when unreadable. */
  index: number | null;
  /** performance.now() on the phone. */
  at: number;
  /** The mark's centre in frame fractions, its state and opacity; null when there is no mark. */
  mark: {
    x: number;
    y: number;
    /** The centre as drawn, before any anchor update moved it: a mark nobody tracks stays there. */
    drawnX: number;
    drawnY: number;
    state: string;
    opacity: number;
  } | null;
};

/**
 * Pages run plain script text: tsx (the benches) wraps named inner functions in a helper the page
 * does not have. `__grabFrameIndex(video, sceneWidth)` reads the counter off what a video shows.
 */
const GRAB = `(video, sceneWidth) => {
  if (!video || video.videoWidth === 0) return null;
  const code = ${JSON.stringify(BARCODE)};
  const canvas = (window.__grabCanvas ??= document.createElement('canvas'));
  canvas.width = video.videoWidth;
  canvas.height = Math.ceil(((code.y + code.cell) * video.videoWidth) / sceneWidth) + 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(video, 0, 0);
  return window.__decodeFrameIndex(ctx.getImageData(0, 0, canvas.width, canvas.height).data, video.videoWidth, sceneWidth, code);
}`;

/** Makes the frame counter readable in a page or frame (`window.__grabFrameIndex`). */
export async function installFrameDecoder(target: Page | Frame): Promise<void> {
  await target.evaluate(`window.__decodeFrameIndex = ${decodeFrameIndex.toString()}; window.__grabFrameIndex = ${GRAB}; 0`);
}

/** The clip's frame the console's picture shows now (null while unreadable). */
export function consoleFrameIndex(desk: Frame, sceneWidth: number): Promise<number | null> {
  return desk.evaluate(`window.__grabFrameIndex(document.querySelector('video[data-testid="remote-video"]'), ${sceneWidth})`) as Promise<
    number | null
  >;
}

/** The object's speed around a frame, in frame widths per second. */
export function speedAt(scene: MovingObjectScene, frame: number): number {
  const aspect = scene.width / scene.height;
  const a = scene.truth(Math.max(0, frame - 2));
  const b = scene.truth(Math.min(scene.frames - 1, frame + 2));
  const dt = (Math.min(scene.frames - 1, frame + 2) - Math.max(0, frame - 2)) / scene.fps;
  return Math.hypot(b.cx - a.cx, (b.cy - a.cy) / aspect) / dt;
}

/** Frames of the clip during which the object is still well inside (not leaving). */
export function lastInsideFrame(scene: MovingObjectScene): number {
  let f = 0;
  while (f + 1 < scene.frames && scene.truth(f + 1).visible) f += 1;
  return f;
}

/**
 * Waits until the console shows a frame where the object moves slowly (a specialist draws around
 * something that holds still a moment; the test's drag takes a few frames too) with at least
 * `runway` frames before it leaves, then drags a rectangle around it with the console's
 * rectangle tool. Returns the frame it was drawn on.
 */
export async function drawRectangleOnObject(
  desk: Frame,
  page: Page,
  scene: MovingObjectScene,
  opts: { runway: number; maxSpeed?: number; timeoutMs?: number },
): Promise<number> {
  const maxSpeed = opts.maxSpeed ?? 0.05;
  const last = lastInsideFrame(scene);
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (Date.now() > deadline) throw new Error('the console never showed the object holding still with room to track it');
    const f = await consoleFrameIndex(desk, scene.width);
    if (f === null || f + opts.runway > last || speedAt(scene, f) > maxSpeed) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      continue;
    }
    await dragAroundObject(desk, page, scene, f);
    return f;
  }
}

/** Reads the first mark of the phone's overlay: centre as drawn and as shown, state, opacity. */
const READ_MARK = `(video) => {
  const group = document.querySelector('[data-testid="customer-annotations"] g[data-mark-id]');
  const rect = group && group.querySelector('rect');
  if (!group || !rect || video.videoWidth === 0) return null;
  const x = rect.x.baseVal.value + rect.width.baseVal.value / 2;
  const y = rect.y.baseVal.value + rect.height.baseVal.value / 2;
  const list = group.transform.baseVal;
  const m = list.numberOfItems > 0 ? list.consolidate().matrix : null;
  const px = m ? m.a * x + m.c * y + m.e : x;
  const py = m ? m.b * x + m.d * y + m.f : y;
  return {
    x: px / video.videoWidth,
    y: py / video.videoHeight,
    drawnX: x / video.videoWidth,
    drawnY: y / video.videoHeight,
    state: group.getAttribute('data-anchor') || 'none',
    opacity: Number(group.getAttribute('opacity') || 1),
  };
}`;

/**
 * Starts sampling the phone on each frame of its preview (requestVideoFrameCallback): the clip
 * frame it shows and where the overlay draws the first mark, in the overlay's own frame
 * coordinates (the mark's rectangle through its group's transform; the viewBox is the frame).
 * `takePhoneSamples` returns what was gathered and stops.
 */
export async function startPhoneSampler(phone: Page, sceneWidth: number): Promise<void> {
  await phone.evaluate(`(() => {
    const video = document.querySelector('video.call__local');
    const readMark = ${READ_MARK};
    window.__samples = [];
    window.__sampling = true;
    const onFrame = () => {
      if (!window.__sampling) return;
      window.__samples.push({ index: window.__grabFrameIndex(video, ${sceneWidth}), at: performance.now(), mark: readMark(video) });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  })()`);
}

export async function takePhoneSamples(phone: Page): Promise<PhoneSample[]> {
  return (await phone.evaluate('window.__sampling = false; window.__samples')) as PhoneSample[];
}

/** Samples the phone on each of its preview's next `count` frames (see `startPhoneSampler`). */
export function samplePhone(phone: Page, sceneWidth: number, count: number): Promise<PhoneSample[]> {
  return phone.evaluate(`new Promise((resolve) => {
    const video = document.querySelector('video.call__local');
    const readMark = ${READ_MARK};
    const samples = [];
    const onFrame = () => {
      samples.push({ index: window.__grabFrameIndex(video, ${sceneWidth}), at: performance.now(), mark: readMark(video) });
      if (samples.length >= ${count}) resolve(samples);
      else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  })`) as Promise<PhoneSample[]>;
}

/**
 * The distance (fractions of the frame width) from the mark's centre to the object's, at the
 * sample's frame or, with `lagFrames`, the nearest the object was over that many frames before:
 * the mark may honestly show where the object was when the console measured it. `asDrawn`: the
 * same for the mark where it was drawn (what a mark nobody tracks would show).
 */
export function centreError(scene: MovingObjectScene, sample: PhoneSample, lagFrames = 0, asDrawn = false): number | null {
  if (sample.index === null || !sample.mark) return null;
  const x = asDrawn ? sample.mark.drawnX : sample.mark.x;
  const y = asDrawn ? sample.mark.drawnY : sample.mark.y;
  const aspect = scene.width / scene.height;
  let best = Infinity;
  for (let lag = 0; lag <= lagFrames; lag += 1) {
    const truth = scene.truth(Math.max(0, sample.index - lag));
    best = Math.min(best, Math.hypot(x - truth.cx, (y - truth.cy) / aspect));
  }
  return best;
}

/** Drags a rectangle (the tool must be picked) around where the object is on the frame after `frame`, as the console shows the picture. */
export async function dragAroundObject(desk: Frame, page: Page, scene: MovingObjectScene, frame: number): Promise<void> {
  const box = (await desk.getByTestId('annotation-input').boundingBox())!;
  const video = await desk.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-testid="remote-video"]')!;
    return { width: v.videoWidth, height: v.videoHeight };
  });
  const content = fitted({ left: box.x, top: box.y, width: box.width, height: box.height }, video, 'contain');
  const truth = scene.truth(frame + 1);
  const halfW = (scene.objectSize.width * truth.scale * 0.9) / 2;
  const halfH = (scene.objectSize.height * truth.scale * 0.9) / 2;
  const at = (x: number, y: number) => ({ x: content.left + x * content.width, y: content.top + y * content.height });
  const from = at(truth.cx - halfW, truth.cy - halfH);
  const to = at(truth.cx + halfW, truth.cy + halfH);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y);
  await page.mouse.up();
}
