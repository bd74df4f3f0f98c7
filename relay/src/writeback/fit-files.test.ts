import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitToBudget } from './fit-files.js';
import type { NoteAttachmentFile } from './types.js';

const noise = async (width: number, height: number, format: 'png' | 'jpeg'): Promise<Uint8Array> => {
  const img = sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 45 } } });
  return new Uint8Array(await (format === 'png' ? img.png() : img.jpeg({ quality: 95 })).toBuffer());
};
const text = (name: string, bytes: number): NoteAttachmentFile => ({
  fileName: name,
  contentType: 'text/plain',
  data: new Uint8Array(bytes),
});

describe('fitting a note’s files into what the ticket can take', () => {
  it('leaves files that fit as they are', async () => {
    const files = [text('chat.txt', 100), { fileName: 'a.png', contentType: 'image/png', data: await noise(40, 30, 'png') }];
    const fitted = await fitToBudget(files, 1_000_000);
    expect(fitted).toEqual({ files, left: [], edge: null });
  });

  it('shrinks the pictures, in order and all of them, and keeps the text file as it is', async () => {
    const photo = await noise(1600, 1200, 'jpeg');
    const files = [
      text('chat.txt', 5_000),
      { fileName: 'photo-1.jpg', contentType: 'image/jpeg', data: photo },
      { fileName: 'photo-2.jpg', contentType: 'image/jpeg', data: photo },
    ];
    const budget = 5_000 + photo.byteLength / 2;
    const fitted = await fitToBudget(files, budget);
    expect(fitted.left).toEqual([]);
    expect(fitted.files.map((f) => f.fileName)).toEqual(['chat.txt', 'photo-1.jpg', 'photo-2.jpg']);
    expect(fitted.files[0]).toBe(files[0]);
    expect(fitted.files.reduce((n, f) => n + f.data.byteLength, 0)).toBeLessThanOrEqual(budget);
    expect(fitted.edge).toBeLessThan(1600);
    const meta = await sharp(fitted.files[1]!.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(fitted.edge!);
  });

  it('a snapshot with transparency becomes a JPEG on white, named .jpg', async () => {
    const png = await sharp({ create: { width: 1200, height: 900, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: Buffer.from(await noise(600, 450, 'png')), left: 0, top: 0 }])
      .png()
      .toBuffer();
    const fitted = await fitToBudget(
      [{ fileName: 'snapshot-1-20260101.png', contentType: 'image/png', data: new Uint8Array(png) }],
      png.length - 1,
    );
    expect(fitted.files[0]).toMatchObject({ fileName: 'snapshot-1-20260101.jpg', contentType: 'image/jpeg' });
    const { data } = await sharp(fitted.files[0]!.data).raw().toBuffer({ resolveWithObject: true });
    // The bottom-right corner was transparent: white now, not black.
    expect(data.subarray(data.length - 3)[0]).toBeGreaterThan(240);
  });

  it('leaves out what cannot fit even at the smallest step, keeping what can', async () => {
    const photo = { fileName: 'photo-1.jpg', contentType: 'image/jpeg', data: await noise(800, 600, 'jpeg') };
    const fitted = await fitToBudget([text('chat.txt', 900), photo, text('small.txt', 50)], 1_000);
    expect(fitted.files.map((f) => f.fileName)).toEqual(['chat.txt', 'small.txt']);
    expect(fitted.left).toEqual(['photo-1.jpg']);
  });
});
