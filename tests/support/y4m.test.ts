import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { writeY4m } from './y4m.js';

const dir = mkdtempSync(join(tmpdir(), 'y4m-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('y4m writer (the fake camera’s picture)', () => {
  it('writes the header, then each frame as full-size Y and quarter-size U and V planes', async () => {
    // Left half white, right half pure red.
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"><rect width="4" height="4" fill="#fff"/><rect x="4" width="4" height="4" fill="#f00"/></svg>';
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const path = join(dir, 'plate.y4m');
    expect(await writeY4m(path, png, { frames: 2 })).toEqual({ width: 8, height: 4 });
    const file = readFileSync(path);
    const header = 'YUV4MPEG2 W8 H4 F30:1 Ip A1:1 C420jpeg\n';
    expect(file.subarray(0, header.length).toString('ascii')).toBe(header);
    const frameBytes = 6 + 8 * 4 + 2 * (4 * 2);
    expect(file.length).toBe(header.length + 2 * frameBytes);
    const frame = file.subarray(header.length, header.length + frameBytes);
    expect(frame.subarray(0, 6).toString('ascii')).toBe('FRAME\n');
    const y = frame.subarray(6, 6 + 32);
    const u = frame.subarray(38, 46);
    const v = frame.subarray(46, 54);
    expect(y[0]).toBe(255); // white
    expect(y[7]).toBe(76); // red: 0.299 × 255
    expect([u[0], v[0]]).toEqual([128, 128]); // white has no colour
    expect(u[3]).toBe(85); // red: 128 − 0.1687 × 255
    expect(v[3]).toBe(255); // red: 128 + 0.5 × 255, clamped
  });
});
