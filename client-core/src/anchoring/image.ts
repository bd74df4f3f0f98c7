// Gray frames and their pyramids: the only pixel work the tracker needs, free of the DOM.

/** One pyramid level: luma as floats, row-major. */
export type Level = { width: number; height: number; data: Float32Array };

/** BT.601 luma of RGBA pixels (ImageData's layout), 0..255. */
export function grayFromRgba(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i += 1, j += 4) {
    // Fixed-point 0.299 / 0.587 / 0.114.
    out[i] = (rgba[j]! * 77 + rgba[j + 1]! * 150 + rgba[j + 2]! * 29 + 128) >> 8;
  }
  return out;
}

/** Area-averaged downscale of a gray frame to `width` x `height` (any ratio ≥ 1 per axis). */
export function downscaleGray(src: ArrayLike<number>, srcWidth: number, srcHeight: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const fx = srcWidth / width;
  const fy = srcHeight / height;
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      let sum = 0;
      for (let yy = y0; yy < y1; yy += 1) for (let xx = x0; xx < x1; xx += 1) sum += src[yy * srcWidth + xx]!;
      out[y * width + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

/** Separable [1 2 1]/4 blur, edges clamped: takes the sensor noise off before gradients. */
function blur(src: Float32Array, width: number, height: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    const last = row + width - 1;
    tmp[row] = (3 * src[row]! + src[row + 1]!) * 0.25;
    for (let i = row + 1; i < last; i += 1) tmp[i] = (src[i - 1]! + 2 * src[i]! + src[i + 1]!) * 0.25;
    tmp[last] = (src[last - 1]! + 3 * src[last]!) * 0.25;
  }
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    const up = y > 0 ? row - width : row;
    const down = y < height - 1 ? row + width : row;
    for (let x = 0; x < width; x += 1) out[row + x] = (tmp[up + x]! + 2 * tmp[row + x]! + tmp[down + x]!) * 0.25;
  }
  return out;
}

/**
 * Level 0 is the lightly blurred frame; each next level is the 2x2 mean of the one before, blurred
 * again (cheap at a quarter of the size), so the coarse levels carry no aliasing.
 */
export function buildPyramid(gray: ArrayLike<number>, width: number, height: number, levels: number): Level[] {
  const base = Float32Array.from(gray as ArrayLike<number>);
  if (base.length !== width * height) throw new Error(`expected ${width}x${height} pixels`);
  const pyramid: Level[] = [{ width, height, data: blur(base, width, height) }];
  for (let l = 1; l < levels; l += 1) {
    const prev = pyramid[l - 1]!;
    const w = prev.width >> 1;
    const h = prev.height >> 1;
    if (w < 16 || h < 16) break;
    const src = prev.data;
    const data = new Float32Array(w * h);
    for (let y = 0; y < h; y += 1) {
      const r0 = 2 * y * prev.width;
      const r1 = r0 + prev.width;
      for (let x = 0; x < w; x += 1) {
        const c = 2 * x;
        data[y * w + x] = (src[r0 + c]! + src[r0 + c + 1]! + src[r1 + c]! + src[r1 + c + 1]!) * 0.25;
      }
    }
    pyramid.push({ width: w, height: h, data: blur(data, w, h) });
  }
  return pyramid;
}

/** Bilinear sample, coordinates clamped to the image. */
export function sample(level: Level, x: number, y: number): number {
  const { width, height, data } = level;
  const cx = x < 0 ? 0 : x > width - 1.001 ? width - 1.001 : x;
  const cy = y < 0 ? 0 : y > height - 1.001 ? height - 1.001 : y;
  const x0 = cx | 0;
  const y0 = cy | 0;
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * width + x0;
  const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
  const bottom = data[i + width]! + (data[i + width + 1]! - data[i + width]!) * fx;
  return top + (bottom - top) * fy;
}
