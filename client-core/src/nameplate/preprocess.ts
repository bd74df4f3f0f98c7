import type { Box, Pixels } from './types.js';

/** A one-byte-per-pixel image. Every function here is pure: it returns a new image. */
export type Gray = { width: number; height: number; data: Uint8Array };

/** RGBA (four bytes a pixel, as ImageData) or gray (one) to gray, with Rec. 601 luma weights. */
export function toGray(image: Pixels): Gray {
  const { width, height, data } = image;
  const n = width * height;
  if (data.length === n) return { width, height, data: Uint8Array.from(data) };
  if (data.length !== n * 4) throw new Error(`pixels: ${data.length} bytes for ${width}x${height}`);
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i += 1, j += 4) {
    out[i] = (data[j]! * 77 + data[j + 1]! * 150 + data[j + 2]! * 29) >> 8;
  }
  return { width, height, data: out };
}

/** The box, clamped to the image (a box dragged past the edge keeps its inside part). */
export function clampBox(box: Box, width: number, height: number): Box {
  const x = Math.max(0, Math.min(width - 1, Math.floor(box.x)));
  const y = Math.max(0, Math.min(height - 1, Math.floor(box.y)));
  const right = Math.max(x + 1, Math.min(width, Math.ceil(box.x + box.width)));
  const bottom = Math.max(y + 1, Math.min(height, Math.ceil(box.y + box.height)));
  return { x, y, width: right - x, height: bottom - y };
}

export function crop(image: Gray, box: Box): Gray {
  const b = clampBox(box, image.width, image.height);
  const out = new Uint8Array(b.width * b.height);
  for (let y = 0; y < b.height; y += 1) {
    const from = (b.y + y) * image.width + b.x;
    out.set(image.data.subarray(from, from + b.width), y * b.width);
  }
  return { width: b.width, height: b.height, data: out };
}

function histogram(image: Gray): Uint32Array {
  const h = new Uint32Array(256);
  for (const v of image.data) h[v]! += 1;
  return h;
}

/** Otsu's threshold: the gray level that best splits the histogram into two classes. */
export function otsuThreshold(image: Gray): number {
  const h = histogram(image);
  const total = image.data.length;
  let sum = 0;
  for (let i = 0; i < 256; i += 1) sum += i * h[i]!;
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t += 1) {
    weightB += h[t]!;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * h[t]!;
    const between = weightB * weightF * (sumB / weightB - (sum - sumB) / weightF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

function percentile(h: Uint32Array, total: number, p: number): number {
  const target = total * p;
  let seen = 0;
  for (let i = 0; i < 256; i += 1) {
    seen += h[i]!;
    if (seen >= target) return i;
  }
  return 255;
}

/** Stretches the 1st percentile to black and the 99th to white (the bench's no-threshold variant). */
export function normalizeContrast(image: Gray): Gray {
  const h = histogram(image);
  const n = image.data.length;
  const lo = percentile(h, n, 0.01);
  const hi = percentile(h, n, 0.99);
  const span = Math.max(1, hi - lo);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) out[i] = Math.max(0, Math.min(255, Math.round(((image.data[i]! - lo) * 255) / span)));
  return { width: image.width, height: image.height, data: out };
}

/** Bilinear sample with edge clamping. */
function sample(image: Gray, x: number, y: number): number {
  const { width, height, data } = image;
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const top = data[y0 * width + x0]! * (1 - fx) + data[y0 * width + x1]! * fx;
  const bottom = data[y1 * width + x0]! * (1 - fx) + data[y1 * width + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Rotates by `degrees` about the centre (positive turns the picture clockwise, y down); same size. */
export function rotate(image: Gray, degrees: number): Gray {
  const { width, height } = image;
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // Inverse map: where in the source this output pixel comes from.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cx + dx * cos - dy * sin;
      const sy = cy + dx * sin + dy * cos;
      // Outside the source: its nearest edge pixel, so no artificial border appears.
      out[y * width + x] = Math.round(sample(image, sx, sy));
    }
  }
  return { width, height, data: out };
}

/** Bilinear resize by `factor` (2..3 for plates: Tesseract wants text 20–40 px tall). */
export function upscale(image: Gray, factor: number): Gray {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const out = new Uint8Array(width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y += 1) {
    const fy = (y + 0.5) * sy - 0.5;
    for (let x = 0; x < width; x += 1) out[y * width + x] = Math.round(sample(image, (x + 0.5) * sx - 0.5, fy));
  }
  return { width, height, data: out };
}

/**
 * Local mean and standard deviation over a (2r+1)² window, from integral images: what Sauvola's
 * threshold needs, in O(pixels) whatever the window.
 */
function localStats(image: Gray, r: number): { mean: Float32Array; std: Float32Array } {
  const { width, height, data } = image;
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const sq = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y += 1) {
    let rowSum = 0;
    let rowSq = 0;
    for (let x = 0; x < width; x += 1) {
      const v = data[y * width + x]!;
      rowSum += v;
      rowSq += v * v;
      sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1]! + rowSum;
      sq[(y + 1) * w1 + x + 1] = sq[y * w1 + x + 1]! + rowSq;
    }
  }
  const mean = new Float32Array(width * height);
  const std = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const n = (y1 - y0) * (x1 - x0);
      const s = sum[y1 * w1 + x1]! - sum[y0 * w1 + x1]! - sum[y1 * w1 + x0]! + sum[y0 * w1 + x0]!;
      const q = sq[y1 * w1 + x1]! - sq[y0 * w1 + x1]! - sq[y1 * w1 + x0]! + sq[y0 * w1 + x0]!;
      const m = s / n;
      mean[y * width + x] = m;
      std[y * width + x] = Math.sqrt(Math.max(0, q / n - m * m));
    }
  }
  return { mean, std };
}

/**
 * Sauvola's local threshold: a pixel is ink when darker than mean·(1 + k·(std/128 − 1)) of its
 * window. Unlike one global threshold it keeps text under a highlight or in a shadow, and a large
 * even area (the pump's body around the plate) comes out as ground, not ink.
 */
export function sauvolaMask(image: Gray, radius: number, k = 0.2): Uint8Array {
  const { mean, std } = localStats(image, radius);
  const mask = new Uint8Array(image.data.length);
  for (let i = 0; i < mask.length; i += 1) {
    const t = mean[i]! * (1 + k * (std[i]! / 128 - 1));
    // A flat window (std tiny) has no ink even if noise dips below the mean.
    mask[i] = image.data[i]! < t && std[i]! > 8 ? 1 : 0;
  }
  return mask;
}

/**
 * Black ink on white by Sauvola's threshold. `soft` keeps a short ramp of grays across the
 * threshold (about a quarter of the local contrast) instead of a hard cut, so the anti-aliased
 * edges that tell S from 5 and 0 from O survive; flat ground still goes white.
 */
export function binarize(image: Gray, radius: number, k = 0.2, soft = false): Gray {
  const { mean, std } = localStats(image, radius);
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i += 1) {
    const s = std[i]!;
    const t = mean[i]! * (1 + k * (s / 128 - 1));
    const v = image.data[i]!;
    if (s <= 8) out[i] = 255;
    else if (!soft) out[i] = v < t ? 0 : 255;
    else {
      const d = Math.max(6, s * 0.25);
      out[i] = Math.max(0, Math.min(255, Math.round((255 * (v - t + d)) / (2 * d))));
    }
  }
  return { width: image.width, height: image.height, data: out };
}

type ComponentBox = { minX: number; maxX: number; minY: number; maxY: number };

/** Calls `visit` with the pixels and bounding box of each 8-connected component of ink. */
function forEachComponent(ink: Uint8Array, width: number, height: number, visit: (members: number[], box: ComponentBox) => void): void {
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start += 1) {
    if (!ink[start] || seen[start]) continue;
    const box = { minX: width, maxX: 0, minY: height, maxY: 0 };
    const members: number[] = [];
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      members.push(i);
      const x = i % width;
      const y = (i - x) / width;
      if (x < box.minX) box.minX = x;
      if (x > box.maxX) box.maxX = x;
      if (y < box.minY) box.minY = y;
      if (y > box.maxY) box.maxY = y;
      // 8-connected: a blurred frame line stays one component.
      for (let dy = -1; dy <= 1; dy += 1) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (ink[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    visit(members, box);
  }
}

/**
 * Clears black components no glyph could be (taller than `maxHeight` or wider than `maxWidth`):
 * the plate's edge against the pump, a frame line, a screw's shadow. Tesseract's layout analysis
 * takes such a frame for a picture and may drop the text inside it.
 */
export function removeLargeComponents(image: Gray, maxWidth: number, maxHeight: number): Gray {
  const out = Uint8Array.from(image.data);
  const ink = image.data.map((v) => (v < 128 ? 1 : 0));
  forEachComponent(ink, image.width, image.height, (members, b) => {
    if (b.maxX - b.minX + 1 > maxWidth || b.maxY - b.minY + 1 > maxHeight) for (const i of members) out[i] = 255;
  });
  return { width: image.width, height: image.height, data: out };
}

/** Ink pixels as coordinates about the centre, from a copy at most `maxSide` px wide. */
function inkPoints(image: Gray, maxSide: number): { xs: Float32Array; ys: Float32Array } {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const small = scale < 1 ? upscale(image, scale) : image;
  const mask = sauvolaMask(small, Math.max(4, Math.round(Math.min(small.width, small.height) / 12)));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < small.height; y += 1) {
    for (let x = 0; x < small.width; x += 1) {
      if (mask[y * small.width + x]) {
        xs.push(x - small.width / 2);
        ys.push(y - small.height / 2);
      }
    }
  }
  return { xs: Float32Array.from(xs), ys: Float32Array.from(ys) };
}

/** How sharply ink piles up into rows when the image is turned by `degrees`. */
function profileScore(xs: Float32Array, ys: Float32Array, degrees: number, bins: Float32Array, offset: number): number {
  const a = (degrees * Math.PI) / 180;
  const sin = Math.sin(a);
  const cos = Math.cos(a);
  bins.fill(0);
  for (let i = 0; i < xs.length; i += 1) {
    // Split between the two nearest rows: rounding alone would favour 0°, where pixels line up.
    const r = -xs[i]! * sin + ys[i]! * cos + offset;
    const r0 = Math.floor(r);
    const f = r - r0;
    if (r0 >= 0 && r0 + 1 < bins.length) {
      bins[r0]! += 1 - f;
      bins[r0 + 1]! += f;
    }
  }
  // Energy of the profile: highest when ink piles into few rows (level lines), lowest when smeared.
  let score = 0;
  for (let i = 0; i < bins.length; i += 1) score += bins[i]! ** 2;
  return score;
}

/**
 * The text's slant in degrees (what `rotate` needs to level it), by a projection-profile search:
 * text lines give the sharpest row profile when level. Coarse 1° steps over ±`range`, then 0.1°.
 */
export function estimateSkew(image: Gray, range = 15): number {
  const { xs, ys } = inkPoints(image, 400);
  if (xs.length < 20) return 0;
  const diag = Math.ceil(Math.hypot(image.width, image.height));
  const bins = new Float32Array(diag + 2);
  const offset = diag / 2 + 1;
  let best = 0;
  let bestScore = -1;
  for (let d = -range; d <= range; d += 1) {
    const s = profileScore(xs, ys, d, bins, offset);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  const coarse = best;
  for (let d = coarse - 1; d <= coarse + 1 + 1e-9; d += 0.1) {
    const s = profileScore(xs, ys, d, bins, offset);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  return Math.round(best * 10) / 10;
}

/**
 * Typical height in px of a glyph: the median height of the ink's connected components that could
 * be letters (not specks, not frame lines). Measured on glyphs rather than on row profiles, so a
 * plate whose lines are not quite level (perspective) does not merge two lines into one. Null when
 * there is no text-like ink.
 */
export function estimateGlyphHeight(image: Gray): number | null {
  const mask = sauvolaMask(image, Math.max(4, Math.round(Math.min(image.width, image.height) / 12)));
  const heights: number[] = [];
  forEachComponent(mask, image.width, image.height, (members, b) => {
    const h = b.maxY - b.minY + 1;
    const w = b.maxX - b.minX + 1;
    if (h >= 5 && h <= image.height / 4 && w <= h * 4 && members.length >= 8) heights.push(h);
  });
  if (heights.length < 3) return null;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)]!;
}

export type Prepared = { image: Gray; angle: number; scale: number; glyphHeight: number | null };

/** Options the bench varies; the defaults are what read best there. */
/** `binarize`: 'hard' black and white, 'soft' with gray edges, 'none' a contrast stretch only. */
export type PrepareOptions = { deskew?: boolean; binarize?: 'hard' | 'soft' | 'none'; targetGlyphHeight?: number; maxScale?: number };

/**
 * The box, ready for Tesseract: gray, level, scaled so a glyph is about `targetGlyphHeight` px
 * (x1..`maxScale`), then binarised with a local threshold (black text on white) so glare and
 * shadows do not wash out part of the plate.
 */
export function preparePlate(image: Pixels, box: Box, options: PrepareOptions = {}): Prepared {
  // Tesseract read the bench's plates best with glyphs of about 20 px and up: smaller crops are
  // scaled up, larger ones left as they are (scaling up costs OCR time and gains nothing there).
  const { deskew = true, binarize: mode = 'hard', targetGlyphHeight = 20, maxScale = 3 } = options;
  let gray = crop(toGray(image), box);
  const angle = deskew ? estimateSkew(gray) : 0;
  if (angle !== 0) gray = rotate(gray, angle);
  const glyph = estimateGlyphHeight(gray);
  const wanted = glyph === null ? 2 : targetGlyphHeight / glyph;
  const scale = Math.max(1, Math.min(maxScale, Math.round(wanted * 2) / 2));
  if (scale > 1) gray = upscale(gray, scale);
  // The window spans about two glyphs: the ground around the letters sets the level.
  const radius = Math.max(8, Math.round((glyph ?? 20) * scale * 1.5));
  if (mode !== 'none') {
    const lineHeight = (glyph ?? gray.height / 8) * scale * 1.5;
    // Limits well above a glyph's size (a misjudged line height must not erase the text).
    gray = removeLargeComponents(
      binarize(gray, radius, 0.2, mode === 'soft'),
      gray.width * 0.6,
      Math.max(lineHeight * 3, gray.height * 0.35),
    );
  } else gray = normalizeContrast(gray);
  return { image: gray, angle, scale, glyphHeight: glyph };
}

/** Gray to a binary PGM (P5): an image format Tesseract's Leptonica reads without a codec. */
export function toPgm(image: Gray): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.data.length);
  out.set(header, 0);
  out.set(image.data, header.length);
  return out;
}

/** Gray to RGBA, for the barcode reader (it takes ImageData's layout). */
export function toRgba(image: Gray): Uint8ClampedArray {
  const out = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 1, j += 4) {
    const v = image.data[i]!;
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = 255;
  }
  return out;
}
