import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pngPixels, randomPlateSpec, renderPlate, renderPlateScene } from './nameplate-image.js';

/** Mean gray inside and outside a box: the plate is much lighter than the pump around it. */
async function meanInside(png: Buffer, box: { x: number; y: number; width: number; height: number }) {
  const px = await pngPixels(png);
  let inside = 0;
  let n = 0;
  let outside = 0;
  let m = 0;
  for (let y = 0; y < px.height; y += 1) {
    for (let x = 0; x < px.width; x += 1) {
      const v = px.data[(y * px.width + x) * 4]!;
      const inBox =
        x >= box.x + box.width * 0.3 && x < box.x + box.width * 0.7 && y >= box.y + box.height * 0.3 && y < box.y + box.height * 0.7;
      const farOut = x < box.x - 5 || x > box.x + box.width + 5 || y < box.y - 5 || y > box.y + box.height + 5;
      if (inBox) [inside, n] = [inside + v, n + 1];
      else if (farOut) [outside, m] = [outside + v, m + 1];
    }
  }
  return { inside: inside / n, outside: outside / Math.max(1, m) };
}

describe('nameplate pictures', () => {
  it('draws the same picture from the same seed, another from another', async () => {
    const spec = randomPlateSpec(3);
    const a = await renderPlate(spec, { level: 'medium', seed: 11 });
    const b = await renderPlate(spec, { level: 'medium', seed: 11 });
    const c = await renderPlate(spec, { level: 'medium', seed: 12 });
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.png.equals(c.png)).toBe(false);
    expect(a.plateBox).toEqual(b.plateBox);
  });

  it('states the truth a reader should report, the P/C as an ISO week', async () => {
    const spec = { ...randomPlateSpec(1), serial: '2145 0123456', productionCode: '2145', code: null };
    const plate = await renderPlate(spec, { level: 'mild', seed: 1 });
    expect(plate.truth.serial).toBe('2145 0123456');
    expect(plate.truth.date).toBe('2021-W45');
    expect(plate.truth.lines).toContain('S/N 2145 0123456');
    const meta = await sharp(plate.png).metadata();
    expect([meta.width, meta.height]).toEqual([plate.width, plate.height]);
  });

  it('a DataMatrix plate states the full date the code carries', async () => {
    const plate = await renderPlate({ ...randomPlateSpec(1), productionCode: '2145', code: 'datamatrix' }, { level: 'none', seed: 1 });
    // Monday of ISO week 45 of 2021.
    expect(plate.truth.date).toBe('2021-11-08');
  });

  it.each(['mild', 'strong'] as const)('the plate lies in its box in a 1280x720 scene (%s)', async (level) => {
    const scene = await renderPlateScene(randomPlateSpec(4), level, { width: 1280, height: 720 });
    expect([scene.width, scene.height]).toEqual([1280, 720]);
    const { x, y, width, height } = scene.plateBox;
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(x + width).toBeLessThanOrEqual(1280);
    expect(y + height).toBeLessThanOrEqual(720);
    expect(width).toBeGreaterThan(400);
    const { inside, outside } = await meanInside(scene.png, scene.plateBox);
    expect(inside).toBeGreaterThan(outside + 60);
  });
});
