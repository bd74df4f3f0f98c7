/**
 * Regenerates assets/logo.png (320×320) and assets/logo-small.png (128×128) from
 * assets/logo.svg with headless Chromium. Run when the SVG changes: tsx tools/zendesk-app/render-logos.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const assets = fileURLToPath(new URL('./assets/', import.meta.url));
const SIZES = [
  { file: 'logo.png', size: 320 },
  { file: 'logo-small.png', size: 128 },
];

async function main(): Promise<void> {
  const svg = readFileSync(`${assets}logo.svg`, 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-sandbox'],
  });
  try {
    for (const { file, size } of SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      writeFileSync(`${assets}${file}`, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      await page.close();
      console.log(`wrote ${file} (${size}×${size})`);
    }
  } finally {
    await browser.close();
  }
}

await main();
