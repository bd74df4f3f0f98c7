import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

/**
 * A picture as a YUV4MPEG2 file, for Chromium's `--use-file-for-fake-video-capture`: the fake
 * camera then films that picture (looping the file) instead of its moving test pattern.
 * 4:2:0, full range (`C420jpeg`, BT.601 as JPEG uses it), each chroma sample the mean of its 2x2 block.
 */
export async function writeY4m(
  path: string,
  image: Buffer,
  opts: { frames?: number; fps?: number } = {},
): Promise<{ width: number; height: number }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (width % 2 || height % 2) throw new Error(`4:2:0 needs even sides, got ${width}x${height}`);
  const cw = width / 2;
  const ch = height / 2;
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc(cw * ch);
  const v = Buffer.alloc(cw * ch);
  const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
  for (let row = 0; row < height; row += 1) {
    for (let col = 0; col < width; col += 1) {
      const i = (row * width + col) * channels;
      y[row * width + col] = clamp(0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!);
    }
  }
  for (let row = 0; row < ch; row += 1) {
    for (let col = 0; col < cw; col += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dy, dx] of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ] as const) {
        const i = ((row * 2 + dy) * width + col * 2 + dx) * channels;
        r += data[i]!;
        g += data[i + 1]!;
        b += data[i + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      u[row * cw + col] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[row * cw + col] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${opts.fps ?? 30}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), y, u, v]);
  await writeFile(path, Buffer.concat([header, ...Array.from({ length: opts.frames ?? 3 }, () => frame)]));
  return { width, height };
}
