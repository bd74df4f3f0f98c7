import sharp from 'sharp';
import type { FittedFiles, NoteAttachmentFile } from './types.js';

/**
 * Fits a note's files into the bytes a ticket can still take. Splitting into more notes would not
 * help where the helpdesk's limit is per ticket (Freshdesk: 20 MB of attachments in all), so the
 * photos and snapshots are made smaller instead, step by step, until everything fits: the note
 * keeps every picture, just fewer pixels. Only when even the smallest step does not fit are files
 * left out (from the last), and the caller names them in the note.
 */

/** Longest side of the downscaled images, largest first: 2560 px keeps a nameplate readable. */
export const DOWNSCALE_STEPS = [2560, 2048, 1600, 1280, 1024, 800, 640, 480, 320] as const;
const JPEG_QUALITY = 80;
/** The images the relay stores (uploads are re-encoded to these on arrival). */
const SCALABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

const total = (files: readonly { data: Uint8Array }[]) => files.reduce((n, f) => n + f.data.byteLength, 0);

/** `photo-1.png` → `photo-1.jpg`: the file is a JPEG now, and its name should say so. */
function asJpegName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return `${dot > 0 ? fileName.slice(0, dot) : fileName}.jpg`;
}

/** The image at most `edge` pixels a side as a JPEG, or the original when that is not smaller (or not readable). */
async function shrink(file: NoteAttachmentFile, edge: number): Promise<NoteAttachmentFile> {
  if (!SCALABLE.has(file.contentType)) return file;
  try {
    const data = await sharp(file.data, { failOn: 'none' })
      .rotate()
      // Snapshots with marks may have transparency; a JPEG has none, so it goes onto white.
      .flatten({ background: '#ffffff' })
      .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer();
    if (data.byteLength >= file.data.byteLength) return file;
    return { fileName: asJpegName(file.fileName), contentType: 'image/jpeg', data: new Uint8Array(data) };
  } catch {
    return file;
  }
}

/** Takes files in order while they fit, skipping any that does not (a smaller later one may). */
function greedy(files: readonly NoteAttachmentFile[], budget: number, original: readonly NoteAttachmentFile[]): FittedFiles {
  const kept: NoteAttachmentFile[] = [];
  const left: string[] = [];
  let used = 0;
  files.forEach((file, i) => {
    if (used + file.data.byteLength <= budget) {
      kept.push(file);
      used += file.data.byteLength;
    } else {
      left.push(original[i]!.fileName);
    }
  });
  return { files: kept, left };
}

/** Every file at one step: the images at most `edge` a side, the others as they are. */
async function atStep(files: readonly NoteAttachmentFile[], edge: number): Promise<NoteAttachmentFile[]> {
  // From the originals each time (no JPEG of a JPEG), one image at a time: decoding many large
  // photos at once would hold them all in memory.
  const step: NoteAttachmentFile[] = [];
  for (const file of files) step.push(await shrink(file, edge));
  return step;
}

/**
 * `files` within `budget` bytes, in their order: unchanged when they fit, else with the images
 * downscaled (to JPEG) at the largest step that makes everything fit. `edge` tells the caller
 * (and its tests) how far it had to go: null when nothing was downscaled.
 */
export async function fitToBudget(files: readonly NoteAttachmentFile[], budget: number): Promise<FittedFiles & { edge: number | null }> {
  const room = Math.max(0, budget);
  if (total(files) <= room) return { files: [...files], left: [], edge: null };
  const fixed = total(files.filter((f) => !SCALABLE.has(f.contentType)));
  const last = DOWNSCALE_STEPS.length - 1;
  let step: NoteAttachmentFile[] = [];
  for (let i = 0; ;) {
    const edge = DOWNSCALE_STEPS[i]!;
    step = await atStep(files, edge);
    const size = total(step);
    if (size <= room) return { files: step, left: [], edge };
    if (i === last) break;
    // A JPEG's bytes grow about with its pixels, so the edge that fits is near edge·√(room/size)
    // for the images' part: go straight to the smallest step at or above that (each step decodes
    // every original again), and on from there if it is still too large.
    const target = edge * Math.sqrt(Math.max(0, room - fixed) / Math.max(1, size - fixed));
    const below = DOWNSCALE_STEPS.findIndex((e) => e < target);
    i = Math.max(i + 1, below < 0 ? last : below - 1);
  }
  return { ...greedy(step, room, files), edge: DOWNSCALE_STEPS[last]! };
}
