/** Image kinds the relay accepts, decided from the leading bytes (never from a name or header). */
export const ImageKind = { jpeg: 'jpeg', png: 'png', webp: 'webp', heif: 'heif' } as const;
export type ImageKind = (typeof ImageKind)[keyof typeof ImageKind];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** ISO-BMFF brands of HEIC/HEIF stills and sequences; AVIF (`avif`, `avis`) is deliberately not here. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'heif']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

function heifKind(bytes: Uint8Array): ImageKind | null {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return null;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (boxSize < 16 || boxSize > Math.min(bytes.length, 4096)) return null;
  const brands = [ascii(bytes, 8, 4)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, 4));
  // `mif1` alone also starts AVIF files; only a HEVC-family brand or no AV1 brand makes it HEIF.
  if (brands.some((b) => AVIF_BRANDS.has(b)) && !brands.some((b) => b.startsWith('hei') || b.startsWith('hev'))) {
    return null;
  }
  return brands.some((b) => HEIF_BRANDS.has(b)) ? ImageKind.heif : null;
}

export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return ImageKind.jpeg;
  if (startsWith(bytes, PNG_SIGNATURE)) return ImageKind.png;
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return ImageKind.webp;
  return heifKind(bytes);
}
