import { createDeflate } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinedCustomer, startHarness, type Harness } from '../testing/harness.js';

const SIDE = 8944;

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid 8944×8944 16-bit RGB PNG of black pixels: ~80 megapixels, 480 MB decoded, under 1 MB on the wire. */
async function hugePng(): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIDE, 0);
  ihdr.writeUInt32BE(SIDE, 4);
  ihdr[8] = 16; // bit depth
  ihdr[9] = 2; // RGB
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const row = Buffer.alloc(1 + SIDE * 6);
  for (let y = 0; y < SIDE; y += 1) {
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const signature = Buffer.from('89504e470d0a1a0a', 'hex');
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

describe('image decoding is bounded per session', () => {
  let h: Harness;
  let png: Buffer;
  beforeAll(async () => {
    h = await startHarness();
    png = await hugePng();
  }, 60_000);
  afterAll(() => h.close());

  it('twelve 80-megapixel 16-bit PNGs at once are refused from their header, without decoding', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent, 1);
    const { participantToken } = await joinedCustomer(h, view);
    const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
    const rssBefore = process.memoryUsage().rss;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        h
          .api(`/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${participantToken}` },
            body: new Uint8Array(png),
          })
          .then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { message: string } } })),
      ),
    );
    const rssAfter = process.memoryUsage().rss;
    console.log(`[measured] ${png.length} B PNG ×12: RSS before ${mb(rssBefore)}, after ${mb(rssAfter)}`);
    expect(statuses.map((s) => s.status)).toEqual(Array(12).fill(415));
    expect(statuses[0]!.body.error?.message).toMatch(/50 megapixels/);
  }, 120_000);
});
