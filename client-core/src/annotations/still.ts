import { z } from 'zod';
import type { Mark, StoredImage, UploadPurpose } from '@live-assist/protocol';
import { shaftEnd, shapeOf } from './shapes.js';
import type { FrameSize } from './mapping.js';

export interface CapturedStill {
  blob: Blob;
  width: number;
  height: number;
}

interface ImageCaptureLike {
  takePhoto(settings?: { imageWidth?: number; imageHeight?: number }): Promise<Blob>;
  getPhotoCapabilities?(): Promise<{ imageWidth?: { max?: number }; imageHeight?: { max?: number } }>;
}
type ImageCaptureCtor = new (track: MediaStreamTrack) => ImageCaptureLike;

/**
 * A full-resolution still from this page's own camera: ImageCapture.takePhoto where the browser has
 * it (it can exceed the video resolution), else a canvas draw of the local track at its capture size.
 * Never mirrored: it is the frame as captured, like the coordinates of every mark.
 */
export async function captureStill(track: MediaStreamTrack, video: HTMLVideoElement): Promise<CapturedStill> {
  const settings = track.getSettings();
  const videoSize = { width: settings.width ?? video.videoWidth, height: settings.height ?? video.videoHeight };
  const Ctor = (globalThis as { ImageCapture?: ImageCaptureCtor }).ImageCapture;
  if (Ctor && track.readyState === 'live') {
    try {
      const capture = new Ctor(track);
      const blob = await capture.takePhoto(await largestPhoto(capture, videoSize));
      const size = await imageSize(blob);
      // Some cameras hand back a smaller or differently shaped photo; then the frame itself is better.
      if (size.width >= videoSize.width && sameShape(size, videoSize)) return { blob, ...size };
    } catch {
      // takePhoto is refused by some devices; the canvas route below always works.
    }
  }
  return drawFrame(video);
}

/** The camera's largest photo size when it has the video's shape (photos can beat the video mode). */
async function largestPhoto(capture: ImageCaptureLike, video: FrameSize): Promise<{ imageWidth: number; imageHeight: number } | undefined> {
  const caps = await capture.getPhotoCapabilities?.().catch(() => undefined);
  const width = caps?.imageWidth?.max;
  const height = caps?.imageHeight?.max;
  if (!width || !height || width <= video.width) return undefined;
  return sameShape({ width, height }, video) ? { imageWidth: width, imageHeight: height } : undefined;
}

function sameShape(a: FrameSize, b: FrameSize): boolean {
  return Math.abs(a.width / a.height - b.width / b.height) < 0.02;
}

async function imageSize(blob: Blob): Promise<FrameSize> {
  const bitmap = await createImageBitmap(blob);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

async function drawFrame(video: HTMLVideoElement): Promise<CapturedStill> {
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (!width || !height) throw new Error('the camera has no picture yet');
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(video, 0, 0, width, height);
  const blob = await toBlob(canvas, 'image/jpeg', 0.92);
  return { blob, width, height };
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('could not encode the image'))), type, quality);
  });
}

/** The part of the uploads answer (docs/contract.md "Uploads") this feature relies on. */
const UploadAnswerSchema = z.object({
  upload: z.object({
    id: z.string().min(1),
    url: z.string().min(1),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  }),
});

export interface UploadRequest {
  /** Relay origin (and path prefix), no trailing slash. */
  relayUrl: string;
  sessionId: string;
  participantToken: string;
  purpose: UploadPurpose;
  blob: Blob;
  onProgress?: (fraction: number) => void;
}

/** POSTs raw image bytes to the relay's uploads endpoint; XHR because fetch reports no upload progress. */
export function uploadImage(req: UploadRequest): Promise<StoredImage> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const base = req.relayUrl.replace(/\/+$/, '');
    xhr.open('POST', `${base}/api/sessions/${encodeURIComponent(req.sessionId)}/uploads?purpose=${req.purpose}`);
    xhr.setRequestHeader('Authorization', `Bearer ${req.participantToken}`);
    xhr.setRequestHeader('Content-Type', req.blob.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) req.onProgress?.(Math.min(1, e.loaded / e.total));
    };
    xhr.onerror = () => reject(new Error('the upload failed (network)'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      const parsed = UploadAnswerSchema.safeParse(body);
      if (xhr.status !== 201 || !parsed.success) {
        reject(new Error(`the upload failed (HTTP ${xhr.status})`));
        return;
      }
      const u = parsed.data.upload;
      resolve({ id: u.id, url: new URL(u.url, `${base}/`).href, width: u.width, height: u.height });
    };
    xhr.send(req.blob);
  });
}

/** Loads an image the page may draw onto a canvas and read back (same origin or CORS). */
export function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.crossOrigin = 'anonymous';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('could not load the still'));
    img.src = url;
  });
}

/** The still with its marks painted on, as one PNG of the still's own size. */
export async function composeSnapshot(image: CanvasImageSource, size: FrameSize, marks: readonly Mark[]): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(image, 0, 0, size.width, size.height);
  for (const mark of marks) {
    const shape = shapeOf(mark, size);
    ctx.strokeStyle = mark.color;
    ctx.fillStyle = mark.color;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    switch (shape.kind) {
      case 'rect':
        ctx.lineWidth = shape.stroke;
        ctx.strokeRect(shape.x, shape.y, shape.width, shape.height);
        break;
      case 'arrow': {
        const [sx, sy] = shaftEnd(shape);
        ctx.lineWidth = shape.stroke;
        ctx.beginPath();
        ctx.moveTo(shape.x1, shape.y1);
        ctx.lineTo(sx, sy);
        ctx.stroke();
        fillPolygon(ctx, shape.head);
        break;
      }
      case 'stroke':
        fillPolygon(ctx, shape.outline);
        break;
    }
  }
  return toBlob(canvas, 'image/png');
}

function fillPolygon(ctx: CanvasRenderingContext2D, points: ReadonlyArray<readonly [number, number]>): void {
  if (points.length === 0) return;
  ctx.beginPath();
  ctx.moveTo(points[0]![0], points[0]![1]);
  for (const p of points.slice(1)) ctx.lineTo(p[0], p[1]);
  ctx.closePath();
  ctx.fill();
}
