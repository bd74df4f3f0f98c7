// Nameplate pictures with known text, for the OCR tests, the bench and the phone's fake camera:
// an SVG plate rendered by sharp with the installed DejaVu fonts, then a photo's faults applied to
// the raw pixels (a perspective warp, blur, glare, noise, JPEG), all drawn from a seed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { mulberry32 } from '../../client-core/src/anchoring/ransac.js';

const require = createRequire(import.meta.url);

export type Box = { x: number; y: number; width: number; height: number };

export const PlateFont = { sans: 'sans', condensed: 'condensed', mono: 'mono' } as const;
export type PlateFont = (typeof PlateFont)[keyof typeof PlateFont];
export const DistortionLevel = { none: 'none', mild: 'mild', medium: 'medium', strong: 'strong' } as const;
export type DistortionLevel = (typeof DistortionLevel)[keyof typeof DistortionLevel];

export type PlateSpec = {
  maker: string;
  model: string;
  /** Printed as is after "S/N". */
  serial: string;
  /** Production code, year and week: "2145" is 2021, week 45. */
  productionCode: string;
  articleNumber: string;
  font: PlateFont;
  background: 'metal' | 'label';
  /** Label language: German/English ("Typ/Type", "S/N") or Bulgarian ("Тип", "Сериен №"). */
  labels: 'de-en' | 'bg';
  /** A code on the plate: a QR with the serial, or a GS1 DataMatrix (21 serial, 11 date, 240 model). */
  code: 'qr' | 'datamatrix' | null;
};

export type PlateTruth = { model: string; serial: string; date: string; lines: string[] };

export type RenderedPlate = { png: Buffer; width: number; height: number; truth: PlateTruth; plateBox: Box };

export type RenderOptions = {
  level: DistortionLevel;
  seed: number;
  /** Plate width in px before warping (default 720). */ plateWidth?: number;
};

/** The same seed draws the same plate and faults. */
export const rng = mulberry32;

const FONT_FAMILY: Record<PlateFont, string> = {
  sans: "'DejaVu Sans'",
  condensed: "'DejaVu Sans Condensed', 'DejaVu Sans'",
  mono: "'DejaVu Sans Mono'",
};

const MODELS = [
  'Stratos PICO 25/1-4',
  'Stratos MAXO 30/0,5-12',
  'Yonos PICO 25/1-6',
  'Atmos GIGA-N 40/200-5,5/2',
  'Para 15-130/7-50/SC-12',
  'Star-Z NOVA A',
  'Helix V 1605-1/16/E/KS/400-50',
  'TOP-S 40/10 DM',
  'Varios PICO-STG 15/1-7',
  'MHI 405-1/E/3-400-50-2',
];
const MAKERS = ['WILO SE', 'Wilo SE Dortmund', 'WILO'];

/** A varied plate drawn from the seed (models from Wilo's range, random serials and codes). */
export function randomPlateSpec(seed: number): PlateSpec {
  const r = rng(seed * 7919 + 13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const year = 15 + Math.floor(r() * 11);
  const week = 1 + Math.floor(r() * 52);
  const productionCode = `${year}${String(week).padStart(2, '0')}`;
  const codeRoll = r();
  return {
    maker: pick(MAKERS),
    model: pick(MODELS),
    serial: `${productionCode} ${digits(7)}`,
    productionCode,
    articleNumber: `41${digits(5)}`,
    font: pick(Object.values(PlateFont)),
    background: r() < 0.5 ? 'metal' : 'label',
    labels: r() < 0.75 ? 'de-en' : 'bg',
    code: codeRoll < 0.15 ? 'qr' : codeRoll < 0.3 ? 'datamatrix' : null,
  };
}

/** The plate's printed lines, top to bottom. */
export function plateLines(spec: PlateSpec): string[] {
  const bg = spec.labels === 'bg';
  return [
    spec.maker,
    `${bg ? 'Тип' : 'Typ/Type'}: ${spec.model}`,
    `Art.-Nr. ${spec.articleNumber}`,
    `${bg ? 'Сериен №' : 'S/N'} ${spec.serial}`,
    `P/C ${spec.productionCode}`,
    '230 V ~ 50 Hz   IP X4D   TF 110',
    bg ? 'Произведено в Германия' : 'Made in Germany',
  ];
}

/** Monday of ISO week `week` of `year`, as YYMMDD (what a GS1 (11) production date holds). */
function isoWeekMonday(year: number, week: number): string {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000);
  return monday.toISOString().slice(2, 10).replace(/-/g, '');
}

function gs1Date(spec: PlateSpec): string {
  return isoWeekMonday(2000 + Number(spec.productionCode.slice(0, 2)), Number(spec.productionCode.slice(2)));
}

/**
 * What a reader should report: the date as the console normalises it, "2021-W45" from the
 * printed P/C, or the full date when a DataMatrix states it (codes win over OCR).
 */
export function plateTruth(spec: PlateSpec): PlateTruth {
  const yy = spec.productionCode.slice(0, 2);
  const ww = spec.productionCode.slice(2);
  const d = gs1Date(spec);
  const date = spec.code === 'datamatrix' ? `20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4)}` : `20${yy}-W${ww}`;
  return { model: spec.model, serial: spec.serial, date, lines: plateLines(spec) };
}

let writerReady = false;
async function codeModules(spec: PlateSpec): Promise<{ size: number; dark: boolean[] } | null> {
  if (spec.code === null) return null;
  if (!writerReady) {
    const wasm = readFileSync(require.resolve('zxing-wasm/writer/zxing_writer.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
    writerReady = true;
  }
  const written =
    spec.code === 'qr'
      ? await writeBarcode(`S/N: ${spec.serial}`, { format: 'QRCode', scale: 1, addQuietZones: false })
      : await writeBarcode(`(21)${spec.serial.replace(/\s/g, '')}(11)${gs1Date(spec)}(240)${spec.model.slice(0, 30)}`, {
          format: 'DataMatrix',
          options: 'gs1',
          scale: 1,
          addQuietZones: false,
        });
  if (written.error || !written.symbol) throw new Error(`barcode writer: ${written.error}`);
  const { width, data } = written.symbol;
  return { size: width, dark: Array.from(data, (v) => v < 128) };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The plate as SVG: background, engraved-looking text (a light offset under dark ink), a code. */
async function plateSvg(spec: PlateSpec, width: number, r: () => number): Promise<{ svg: string; height: number }> {
  const lines = plateLines(spec);
  const fontSize = Math.round(width / 26);
  const lineGap = Math.round(fontSize * 1.55);
  const height = Math.round(lineGap * (lines.length + 1));
  const metal = spec.background === 'metal';
  const ground = metal
    ? `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="0.3"><stop offset="0" stop-color="#c9ccd0"/><stop offset="0.5" stop-color="#e4e6e9"/><stop offset="1" stop-color="#b8bcc1"/></linearGradient>
       <filter id="brush"><feTurbulence type="fractalNoise" baseFrequency="0.9 0.01" numOctaves="2" seed="${Math.floor(r() * 1000)}"/><feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncA type="linear" slope="0.25"/></feComponentTransfer></filter></defs>
       <rect width="100%" height="100%" rx="${fontSize}" fill="url(#g)"/><rect width="100%" height="100%" rx="${fontSize}" filter="url(#brush)"/>`
    : `<rect width="100%" height="100%" rx="${fontSize / 2}" fill="#f7f7f2"/><rect x="4" y="4" width="${width - 8}" height="${height - 8}" rx="${fontSize / 2}" fill="none" stroke="#1a4f9c" stroke-width="3"/>`;
  const ink = metal ? '#202326' : '#111111';
  const family = FONT_FAMILY[spec.font];
  const text = lines
    .map((line, i) => {
      const y = lineGap * (i + 1) + fontSize * 0.35;
      const weight = i === 0 ? 'bold' : 'normal';
      const t = escapeXml(line);
      // Engraved: a light edge one pixel below the dark stroke.
      const edge = metal ? `<text x="${fontSize + 1}" y="${y + 1}" fill="#f4f5f6">${t}</text>` : '';
      return `<g xml:space="preserve" font-family="${family}" font-size="${fontSize}" font-weight="${weight}">${edge}<text x="${fontSize}" y="${y}" fill="${ink}">${t}</text></g>`;
    })
    .join('');
  let code = '';
  const modules = await codeModules(spec);
  if (modules) {
    const side = Math.round(height * 0.38);
    const m = side / modules.size;
    const x0 = width - side - fontSize;
    const y0 = height - side - fontSize;
    const rects = modules.dark
      .map((d, i) =>
        d
          ? `<rect x="${(x0 + (i % modules.size) * m).toFixed(2)}" y="${(y0 + Math.floor(i / modules.size) * m).toFixed(2)}" width="${m.toFixed(2)}" height="${m.toFixed(2)}"/>`
          : '',
      )
      .join('');
    code = `<rect x="${x0 - m * 2}" y="${y0 - m * 2}" width="${side + m * 4}" height="${side + m * 4}" fill="#fff"/><g fill="#000">${rects}</g>`;
  }
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${ground}${text}${code}</svg>`, height };
}

type Rgba = { width: number; height: number; data: Uint8ClampedArray };

/** Solves the 8 unknowns of the homography taking `from` corners to `to` corners. */
function homography(from: [number, number][], to: [number, number][]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i += 1) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c += 1) {
    let p = c;
    for (let r = c + 1; r < 8; r += 1) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r += 1) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k += 1) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return [...Array.from({ length: 8 }, (_, i) => a[i]![8]! / a[i]![i]!), 1];
}

/**
 * Warps the plate so its corners land on `corners` in an output of the given size, by inverse
 * mapping each output pixel through the homography (bilinear); outside the plate stays `fill`.
 */
function warp(src: Rgba, corners: [number, number][], width: number, height: number, fill: [number, number, number]): Rgba {
  const h = homography(corners, [
    [0, 0],
    [src.width - 1, 0],
    [src.width - 1, src.height - 1],
    [0, src.height - 1],
  ]);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const w = h[6]! * x + h[7]! * y + h[8]!;
      const sx = (h[0]! * x + h[1]! * y + h[2]!) / w;
      const sy = (h[3]! * x + h[4]! * y + h[5]!) / w;
      const o = (y * width + x) * 4;
      if (sx < 0 || sy < 0 || sx > src.width - 1 || sy > src.height - 1) {
        out.set([...fill, 0], o);
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const y1 = Math.min(src.height - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c += 1) {
        const p = (xx: number, yy: number) => src.data[(yy * src.width + xx) * 4 + c]!;
        out[o + c] = (p(x0, y0) * (1 - fx) + p(x1, y0) * fx) * (1 - fy) + (p(x0, y1) * (1 - fx) + p(x1, y1) * fx) * fy;
      }
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

type Faults = { jitter: number; rotate: number; blur: number; glare: number; noise: number; jpeg: number };
const FAULTS: Record<DistortionLevel, Faults> = {
  none: { jitter: 0, rotate: 0, blur: 0, glare: 0, noise: 0, jpeg: 95 },
  mild: { jitter: 0.02, rotate: 3, blur: 0.5, glare: 0.2, noise: 3, jpeg: 85 },
  medium: { jitter: 0.05, rotate: 7, blur: 0.9, glare: 0.4, noise: 6, jpeg: 70 },
  strong: { jitter: 0.09, rotate: 12, blur: 1.4, glare: 0.65, noise: 12, jpeg: 50 },
};

/** A bright elliptical highlight (a lamp on the metal), strength 0..1 at its centre. */
function glare(img: Rgba, strength: number, r: () => number): void {
  if (strength <= 0) return;
  const cx = img.width * (0.2 + r() * 0.6);
  const cy = img.height * (0.2 + r() * 0.6);
  const rx = img.width * (0.12 + r() * 0.15);
  const ry = img.height * (0.1 + r() * 0.15);
  for (let y = 0; y < img.height; y += 1) {
    for (let x = 0; x < img.width; x += 1) {
      const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      const k = strength * Math.exp(-d);
      if (k < 0.01) continue;
      const o = (y * img.width + x) * 4;
      for (let c = 0; c < 3; c += 1) img.data[o + c] = img.data[o + c]! + (255 - img.data[o + c]!) * k;
    }
  }
}

/** Gaussian-ish sensor noise (sum of uniforms), the same on the three channels. */
function noise(img: Rgba, sigma: number, r: () => number): void {
  if (sigma <= 0) return;
  for (let i = 0; i < img.width * img.height; i += 1) {
    const n = (r() + r() + r() - 1.5) * 2 * sigma;
    for (let c = 0; c < 3; c += 1) img.data[i * 4 + c] = img.data[i * 4 + c]! + n;
  }
}

/** The plate with its faults: returns the picture's pixels and where the plate lies in it. */
async function distortedPlate(spec: PlateSpec, opts: RenderOptions): Promise<{ img: Rgba; plateBox: Box }> {
  const r = rng(opts.seed);
  const width = opts.plateWidth ?? 720;
  const { svg, height } = await plateSvg(spec, width, r);
  const raw = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const src: Rgba = {
    width: raw.info.width,
    height: raw.info.height,
    data: new Uint8ClampedArray(raw.data.buffer, raw.data.byteOffset, raw.data.length),
  };
  const f = FAULTS[opts.level];
  const margin = Math.round(width * 0.12);
  const outW = width + margin * 2;
  const outH = height + margin * 2;
  const angle = ((r() * 2 - 1) * f.rotate * Math.PI) / 180;
  const cx = outW / 2;
  const cy = outH / 2;
  const corners = (
    [
      [margin, margin],
      [margin + width, margin],
      [margin + width, margin + height],
      [margin, margin + height],
    ] as [number, number][]
  ).map(([x, y]): [number, number] => {
    // A tilt of the phone: each corner moved by up to `jitter` of the plate's width, then a turn.
    const jx = x + (r() * 2 - 1) * f.jitter * width;
    const jy = y + (r() * 2 - 1) * f.jitter * width;
    const dx = jx - cx;
    const dy = jy - cy;
    return [cx + dx * Math.cos(angle) - dy * Math.sin(angle), cy + dx * Math.sin(angle) + dy * Math.cos(angle)];
  });
  const img = warp(src, corners, outW, outH, [70, 74, 80]);
  glare(img, f.glare * (0.6 + r() * 0.4), r);
  noise(img, f.noise, r);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const x = Math.max(0, Math.floor(Math.min(...xs)) - 4);
  const y = Math.max(0, Math.floor(Math.min(...ys)) - 4);
  const plateBox = {
    x,
    y,
    width: Math.min(outW, Math.ceil(Math.max(...xs)) + 4) - x,
    height: Math.min(outH, Math.ceil(Math.max(...ys)) + 4) - y,
  };
  return { img, plateBox };
}

async function finish(img: Rgba, level: DistortionLevel): Promise<Buffer> {
  const f = FAULTS[level];
  let pipeline = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  });
  if (f.blur > 0.3) pipeline = pipeline.blur(f.blur);
  // Around the plate (transparent after the warp): the pump's grey body.
  pipeline = pipeline.flatten({ background: { r: 70, g: 74, b: 80 } });
  // JPEG as the phone stores it, then PNG so the readers get exactly these pixels.
  const jpeg = await pipeline.jpeg({ quality: f.jpeg }).toBuffer();
  return sharp(jpeg).png().toBuffer();
}

/** One plate picture: the plate (warped, with faults) on a dark surround; `plateBox` encloses it. */
export async function renderPlate(spec: PlateSpec, opts: RenderOptions): Promise<RenderedPlate> {
  const { img, plateBox } = await distortedPlate(spec, opts);
  return { png: await finish(img, opts.level), width: img.width, height: img.height, truth: plateTruth(spec), plateBox };
}

/**
 * A camera frame (e.g. the phone's fake camera, 1280x720) with the plate on a pump's grey body,
 * at a known box; the plate fills about half the frame's width.
 */
export async function renderPlateScene(
  spec: PlateSpec,
  level: DistortionLevel,
  frame: { width: number; height: number },
  seed = 1,
): Promise<RenderedPlate> {
  const plateWidth = Math.round(frame.width * 0.5);
  const { img, plateBox } = await distortedPlate(spec, { level, seed, plateWidth });
  const scale = Math.min(1, (frame.width * 0.9) / img.width, (frame.height * 0.9) / img.height);
  const w = Math.round(img.width * scale);
  const h = Math.round(img.height * scale);
  const left = Math.round((frame.width - w) / 2);
  const top = Math.round((frame.height - h) / 2);
  const body = `<svg xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}"><defs><radialGradient id="b"><stop offset="0" stop-color="#5d6670"/><stop offset="1" stop-color="#1f2328"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#b)"/><circle cx="${frame.width * 0.1}" cy="${frame.height * 0.85}" r="${frame.height * 0.3}" fill="#0a5d3a"/></svg>`;
  const plate = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .resize(w, h)
    .png()
    .toBuffer();
  const composed = await sharp(Buffer.from(body))
    .composite([{ input: plate, left, top }])
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const framed: Rgba = {
    width: frame.width,
    height: frame.height,
    data: new Uint8ClampedArray(composed.data.buffer, composed.data.byteOffset, composed.data.length),
  };
  const box = {
    x: left + Math.round(plateBox.x * scale),
    y: top + Math.round(plateBox.y * scale),
    width: Math.round(plateBox.width * scale),
    height: Math.round(plateBox.height * scale),
  };
  return { png: await finish(framed, level), width: frame.width, height: frame.height, truth: plateTruth(spec), plateBox: box };
}

/** A PNG's pixels as RGBA, for the pipeline (which takes ImageData's layout). */
export async function pngPixels(png: Buffer): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}
