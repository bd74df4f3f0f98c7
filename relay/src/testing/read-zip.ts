import { inflateRawSync } from 'node:zlib';

/** Entries of a zip by name, read through its central directory (stored or deflated entries). */
export function zipEntries(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (end < 0) throw new Error('not a zip');
  const entries = new Map<string, Buffer>();
  let at = buf.readUInt32LE(end + 16);
  for (let left = buf.readUInt16LE(end + 10); left > 0; left -= 1) {
    const nameLength = buf.readUInt16LE(at + 28);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buf.readUInt32LE(at + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + buf.readUInt32LE(at + 20));
    entries.set(name, buf.readUInt16LE(at + 10) === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}
