import { describe, expect, it } from 'vitest';
import { cleanDate, cleanSerial, parseCodes, parseGs1, parseNameplate, parseOcrLines } from './parse.js';
import type { OcrLine } from './types.js';

const lines = (text: string, confidence = 0.9): OcrLine[] => text.split('\n').map((t) => ({ text: t, confidence }));

const WILO = `WILO SE
Typ/Type: Stratos PICO 25/1-4
Art.-Nr. 4132451
S/N 2145 0123456
P/C 2145
230 V ~ 50 Hz   IP X4D   TF 110
Made in Germany`;

describe('nameplate fields from OCR text', () => {
  it('reads a clean Wilo plate', () => {
    const f = parseOcrLines(lines(WILO));
    expect(f.model?.value).toBe('Stratos PICO 25/1-4');
    expect(f.serial?.value).toBe('2145 0123456');
    expect(f.date?.value).toBe('2021-W45');
    expect(f.serial?.confidence).toBe(0.9);
  });

  it('does not take "PICO" for a P/C label or the article number for the serial', () => {
    const f = parseOcrLines(lines('Typ/Type: Stratos PICO 25/1-4\nArt.-Nr. 4132451'));
    expect(f.model?.value).toBe('Stratos PICO 25/1-4');
    expect(f.date).toBeNull();
    expect(f.serial).toBeNull();
  });

  it('repairs OCR slips in the serial (O/0, I/1, l/1, S/5) and lowers its confidence', () => {
    const f = parseOcrLines(lines('S/N 2I45 O123456.', 0.8));
    expect(f.serial?.value).toBe('2145 0123456');
    expect(f.serial?.confidence).toBeLessThan(0.8);
    expect(parseOcrLines(lines('SIN: 2l45 0l2345S')).serial?.value).toBe('2145 0123455');
  });

  it('trims stray punctuation at the ends of a model', () => {
    expect(parseOcrLines(lines("Typ/Type: 'Yonos PICO 25/1-6 .")).model?.value).toBe('Yonos PICO 25/1-6');
    expect(parseOcrLines(lines('Typ|Type: Stratos MAXO 30/0,5-12')).model?.value).toBe('Stratos MAXO 30/0,5-12');
  });

  it('reads German labels', () => {
    const f = parseOcrLines(lines('Typ: Helix V 1605-1/16/E/KS/400-50\nSer.-Nr. 0045-7781\nBaujahr 2019'));
    expect(f.model?.value).toBe('Helix V 1605-1/16/E/KS/400-50');
    expect(f.serial?.value).toBe('0045-7781');
    expect(f.date?.value).toBe('2019');
    expect(parseOcrLines(lines('Datum: 05.11.2021')).date?.value).toBe('2021-11-05');
    expect(parseOcrLines(lines('Herstelldatum 11/2021')).date?.value).toBe('2021-11');
  });

  it('reads Bulgarian labels, also when OCR mixes in Latin look-alikes', () => {
    const f = parseOcrLines(lines('Тип: Yonos PICO 25/1-6\nСериен № 2542 8548945\nДата: 2022-03-14'));
    expect(f.model?.value).toBe('Yonos PICO 25/1-6');
    expect(f.serial?.value).toBe('2542 8548945');
    expect(f.date?.value).toBe('2022-03-14');
    const slipped = parseOcrLines(lines('Tun: Yonos PICO 25/1-6\nСериен Ne 2003 5174767\nМодел: Star-Z NOVA A'));
    expect(slipped.model?.value).toBe('Yonos PICO 25/1-6');
    expect(slipped.serial?.value).toBe('2003 5174767');
  });

  it('reads labels whose slash OCR lost or misread (SN, PC, "Typ ype", № as #)', () => {
    const f = parseOcrLines(lines('Typ ype: Stratos PICO 25 1-4\nSN 2146 3773239\nPC 2146'));
    expect(f.model?.value).toBe('Stratos PICO 25 1-4');
    expect(f.serial?.value).toBe('2146 3773239');
    expect(f.date?.value).toBe('2021-W46');
    expect(parseOcrLines(lines('TypMype: Varios PICO-STG 15/1-7')).model?.value).toBe('Varios PICO-STG 15/1-7');
    expect(parseOcrLines(lines('| Сериен # 1951 2704134')).serial?.value).toBe('1951 2704134');
  });

  it('reads "Typ/Type" read in Cyrillic look-alikes, and makes a Latin model Latin again', () => {
    expect(parseOcrLines(lines('ЗурПуре: Atmos GIGA-N 40/200-5,5/2')).model?.value).toBe('Atmos GIGA-N 40/200-5,5/2');
    expect(parseOcrLines(lines('турлуре: TOP-S 40/10 DM')).model?.value).toBe('TOP-S 40/10 DM');
    expect(parseOcrLines(lines('Typ/Type: МН! 405-1/E/3-400-50-2')).model?.value).toBe('MHI 405-1/E/3-400-50-2');
  });

  it('joins a label alone on its line to the value on the next', () => {
    const f = parseOcrLines(lines('Сериен\n% 1539 6488590\nP/C 1539'));
    expect(f.serial?.value).toBe('1539 6488590');
    expect(f.date?.value).toBe('2015-W39');
  });

  it('splits two fields on one line and ignores the electrical data', () => {
    const f = parseOcrLines(lines('S/N 2145 0123456 P/C 2145\n230 V ~ 50 Hz IP X4D TF 110'));
    expect(f.serial?.value).toBe('2145 0123456');
    expect(f.date?.value).toBe('2021-W45');
  });

  it('finds nothing in text without labels', () => {
    expect(parseOcrLines(lines('Made in Germany\n230 V ~ 50 Hz'))).toEqual({ model: null, serial: null, date: null });
  });

  it('cleans values on their own', () => {
    expect(cleanSerial('2145 0123456 Made in Germany')).toBe('2145 0123456');
    expect(cleanSerial('ab')).toBeNull();
    expect(cleanDate('21 45', 'P/C')).toBe('2021-W45');
    expect(cleanDate('2199', 'P/C')).toBeNull();
  });
});

describe('nameplate fields from codes', () => {
  it('reads GS1 element strings, bracketed and raw', () => {
    expect(parseGs1('(01)04048482123456(21)21450123456(11)211108(240)STRATOS PICO')?.get('21')).toBe('21450123456');
    const raw = parseGs1('0104048482123456112111082121450123456\u001d240STRATOS PICO');
    expect(raw?.get('11')).toBe('211108');
    expect(raw?.get('21')).toBe('21450123456');
    expect(raw?.get('240')).toBe('STRATOS PICO');
    expect(parseGs1('https://wilo.com/p/123')).toBeNull();
  });

  it('a GS1 DataMatrix fills serial, date and model at confidence 1', () => {
    const f = parseCodes([{ format: 'DataMatrix', text: '(21)21450123456(11)211108(240)Stratos PICO 25/1-4' }]);
    expect(f).toEqual({
      serial: { value: '21450123456', confidence: 1 },
      date: { value: '2021-11-08', confidence: 1 },
      model: { value: 'Stratos PICO 25/1-4', confidence: 1 },
    });
    expect(parseCodes([{ format: 'DataMatrix', text: '(11)211100' }]).date?.value).toBe('2021-11');
  });

  it('a QR with "S/N: …" wins over what OCR read, keeping the printed grouping', () => {
    const ocr = lines('Typ/Type: Stratos PICO 25/1-4\nS/N 2145 0123458\nP/C 2145', 0.7);
    const f = parseNameplate(ocr, [{ format: 'QRCode', text: 'S/N: 2145 0123456' }]);
    expect(f.serial).toEqual({ value: '2145 0123456', confidence: 1 });
    expect(f.model).toEqual({ value: 'Stratos PICO 25/1-4', confidence: 0.7 });
    const grouped = parseNameplate(lines('S/N 2145 0123456'), [{ format: 'DataMatrix', text: '(21)21450123456' }]);
    expect(grouped.serial).toEqual({ value: '2145 0123456', confidence: 1 });
  });

  it("a code's serial takes the plate's printed grouping even where OCR missed the label", () => {
    const f = parseNameplate(lines('; 5IN 2411 5431883'), [{ format: 'DataMatrix', text: '(21)24115431883' }]);
    expect(f.serial).toEqual({ value: '2411 5431883', confidence: 1 });
    // Not a printed grouping: digits of the serial spread over other numbers.
    expect(parseNameplate(lines('Art.-Nr. 241154318830'), [{ format: 'DataMatrix', text: '(21)24115431883' }]).serial?.value).toBe(
      '24115431883',
    );
  });

  it('a code without fields leaves OCR in charge', () => {
    const f = parseNameplate(lines(WILO), [{ format: 'QRCode', text: 'https://wilo.com/' }]);
    expect(f.serial?.value).toBe('2145 0123456');
  });
});
