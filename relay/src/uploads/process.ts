import convertHeic from 'heic-convert';
import sharp from 'sharp';
import { UPLOAD_PREVIEW_MAX_PX, type StoredImageType } from '@live-assist/protocol';
import { ImageKind, sniffImage } from './sniff.js';

export interface ProcessedImage {
  contentType: StoredImageType;
  extension: 'jpg' | 'png' | 'webp';
  original: Buffer;
  preview: Buffer;
  width: number;
  height: number;
}

export class UnsupportedImageError extends Error {
  override name = 'UnsupportedImageError';
}

/**
 * Decompression-bomb guard: a 600 KB PNG may still claim 80 megapixels of 16-bit colour (480 MB
 * decoded). Checked from the header before any decoding; the sides match the annotation schema.
 */
export const MAX_INPUT_PIXELS = 50_000_000;
export const MAX_INPUT_SIDE = 20_000;

// libvips keeps decoded images in a process-wide cache (up to 50 MB and 100 operations by default
// per thread pool); uploads are decoded once, so a small cache only bounds memory.
sharp.cache({ memory: 16, files: 0, items: 20 });

/**
 * Re-encodes the image so nothing but pixels survives: EXIF (GPS, device, owner), XMP, IPTC and
 * comments are dropped because sharp writes no metadata unless asked. EXIF orientation is applied
 * to the pixels first so the picture still stands the right way up.
 * HEIC/HEIF is decoded with heic-convert (wasm libde265; sharp's prebuilt libvips has no HEVC
 * decoder) and stored as JPEG, which every browser and the helpdesk can show.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  const kind = sniffImage(bytes);
  if (kind === null) {
    throw new UnsupportedImageError('Only photos are accepted: JPEG, PNG, WebP or HEIC.');
  }
  let input = bytes;
  if (kind === ImageKind.heif) {
    try {
      input = Buffer.from(await convertHeic({ buffer: bytes, format: 'JPEG', quality: 0.92 }));
    } catch {
      throw new UnsupportedImageError('This HEIC photo could not be read.');
    }
  }
  const target = kind === ImageKind.png ? 'png' : kind === ImageKind.webp ? 'webp' : 'jpeg';
  const size = await sharp(input)
    .metadata()
    .catch(() => null);
  if (!size?.width || !size.height) throw new UnsupportedImageError('This photo could not be read; it may be damaged.');
  if (size.width > MAX_INPUT_SIDE || size.height > MAX_INPUT_SIDE || size.width * size.height > MAX_INPUT_PIXELS) {
    throw new UnsupportedImageError(
      `Photos can be at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels and ${MAX_INPUT_SIDE} pixels a side.`,
    );
  }
  try {
    const base = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const encoded =
      target === 'png'
        ? base.png({ compressionLevel: 8 })
        : target === 'webp'
          ? base.webp({ quality: 90 })
          : base.jpeg({ quality: 90, mozjpeg: true });
    const { data: original, info } = await encoded.toBuffer({ resolveWithObject: true });
    const preview = await sharp(original)
      .resize(UPLOAD_PREVIEW_MAX_PX, UPLOAD_PREVIEW_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 78, mozjpeg: true })
      .toBuffer();
    return {
      contentType: target === 'png' ? 'image/png' : target === 'webp' ? 'image/webp' : 'image/jpeg',
      extension: target === 'png' ? 'png' : target === 'webp' ? 'webp' : 'jpg',
      original,
      preview,
      width: info.width,
      height: info.height,
    };
  } catch {
    throw new UnsupportedImageError('This photo could not be read; it may be damaged.');
  }
}
