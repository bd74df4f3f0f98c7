import sharp from 'sharp';

/** A phone-sized JPEG with a recognisable pattern (a "pump"), made here instead of committed. */
export function pumpPhoto(): Promise<Buffer> {
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
      <rect width="1200" height="900" fill="#1d4e89"/>
      <circle cx="600" cy="450" r="260" fill="#f2a541"/>
      <rect x="520" y="120" width="160" height="660" rx="30" fill="#e8eef2"/>
    </svg>`,
  );
  return sharp(svg).jpeg({ quality: 85 }).toBuffer();
}
