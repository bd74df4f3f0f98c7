import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngPixels, renderPlate, type PlateSpec } from '../../../tests/support/nameplate-image.js';
import { createNodeNameplateReader, type NodeNameplateReader } from './node.js';

const SPEC: PlateSpec = {
  maker: 'WILO SE',
  model: 'Stratos PICO 25/1-4',
  serial: '2145 0123456',
  productionCode: '2145',
  articleNumber: '4132451',
  font: 'condensed',
  background: 'metal',
  labels: 'de-en',
  code: null,
};

describe('the nameplate pipeline in Node (as in the console worker)', () => {
  let reader: NodeNameplateReader;
  beforeAll(async () => {
    reader = await createNodeNameplateReader(['eng', 'deu']);
  });
  afterAll(() => reader.close());

  it('reads the serial, model and date of a mild photo of a plate', async () => {
    const plate = await renderPlate(SPEC, { level: 'mild', seed: 7 });
    const reading = await reader.read(await pngPixels(plate.png), plate.plateBox);
    expect(reading.fields.serial?.value).toBe('2145 0123456');
    expect(reading.fields.model?.value).toBe('Stratos PICO 25/1-4');
    expect(reading.fields.date?.value).toBe('2021-W45');
    expect(reading.fields.serial?.confidence).toBeGreaterThan(0.5);
    expect(reading.text).toContain('Made in Germany');
  });

  it('takes the serial from a QR code on the plate at confidence 1', async () => {
    const plate = await renderPlate({ ...SPEC, code: 'qr', serial: '1933 7654321', productionCode: '1933' }, { level: 'mild', seed: 3 });
    const reading = await reader.read(await pngPixels(plate.png), plate.plateBox);
    expect(reading.codes).toEqual([{ format: 'QRCode', text: 'S/N: 1933 7654321' }]);
    expect(reading.fields.serial).toEqual({ value: '1933 7654321', confidence: 1 });
  });
});
