import type { DecodedCode, FieldReading, NameplateField, OcrLine } from './types.js';

export type NameplateFields = Record<NameplateField, FieldReading | null>;

/*
 * Labels as they appear on plates, in English, German and Bulgarian, with the slips OCR makes on
 * them (a slash read as I or l, № read as N° or X). Each pattern matches the label and what
 * separates it from the value; the value is the rest of the line (up to the next label).
 */
const SEP = String.raw`\s*[.:;=\-]?\s*`;
const TYP_TYPE = String.raw`[tтз][yу][pр].{0,3}?[yу]?[pр][eе]`;
const MODEL_LABELS = [
  // "Typ/Type" with the slash lost or misread ("Typ ype", "TypMype"), or read in Cyrillic
  // look-alikes by the Bulgarian model ("турлуре", "ЗурПуре").
  TYP_TYPE,
  String.raw`typ(?:e)?\s*[/|Il1]\s*type`,
  String.raw`type\s*[/|Il1]\s*typ`,
  String.raw`(?:pump\s+)?type`,
  String.raw`typ`,
  String.raw`model(?:l)?`,
  String.raw`modell?bezeichnung`,
  // Cyrillic read with Latin look-alikes: "Тип" comes back as "Tun" or "Tип".
  String.raw`[тt][иuі][пnp]`,
  String.raw`модел`,
];
const SERIAL_LABELS = [
  // The slash is thin: OCR drops it ("SN") or reads it as I, l, 1 or |.
  String.raw`s\s*[/|Il1\\]?\s*n[o°]?`,
  String.raw`ser(?:ial)?\s*\.?\s*-?\s*(?:n[or]\.?|no\.?|number|nummer)`,
  String.raw`serial`,
  String.raw`seriennummer`,
  String.raw`fabr\.?\s*-?\s*nr\.?`,
  // № comes back as N°, No, Ne, M, X, #, &, %: any one or two signs that are not digits.
  String.raw`сериен\s*(?:номер|[^\s\d]{1,2})?`,
  String.raw`фабр\.?\s*№`,
];
const DATE_LABELS = [
  String.raw`p\s*[/|Il1\\]?\s*c`,
  String.raw`prod(?:uction)?\.?\s*(?:date|code)`,
  String.raw`date`,
  String.raw`datum`,
  String.raw`baujahr`,
  String.raw`herstell(?:datum|ungsdatum)`,
  String.raw`mfg\.?\s*date`,
  String.raw`дата(?:\s+на\s+производство)?`,
  String.raw`произведено`,
];
// Labels that end a value when a plate puts two on one line ("S/N 123  P/C 2145").
const ALL_LABELS = [...MODEL_LABELS, ...SERIAL_LABELS, ...DATE_LABELS, String.raw`art\.?\s*-?\s*nr`, 'ip\\s*x?\\d', 'made\\s+in'];

function labelRegex(labels: string[]): RegExp {
  // A label starts the line or follows a space or slash; the unicode flag lets \b-free Cyrillic work.
  // A label is a whole word: "PIC" in "Stratos PICO" is not P/C.
  return new RegExp(String.raw`(?:^|[\s,;])(?:${labels.join('|')})(?!\p{L})${SEP}(?=\S)`, 'iu');
}
const MODEL_RE = labelRegex(MODEL_LABELS);
const SERIAL_RE = labelRegex(SERIAL_LABELS);
const DATE_RE = labelRegex(DATE_LABELS);
const NEXT_LABEL_RE = new RegExp(String.raw`\s{2,}|\s(?=(?:${ALL_LABELS.join('|')})(?!\p{L})${SEP}\S)`, 'iu');

/** The text after the label on the same line, cut at the next label or a wide gap. */
function afterLabel(line: string, re: RegExp): string | null {
  const m = re.exec(line);
  if (!m) return null;
  const rest = line.slice(m.index + m[0].length);
  const cut = NEXT_LABEL_RE.exec(rest);
  const value = (cut ? rest.slice(0, cut.index) : rest).trim();
  return value.length > 0 ? value : null;
}

/** OCR's letter-for-digit slips, fixed where a digit is expected. */
const TO_DIGIT: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  i: '1',
  '|': '1',
  Z: '2',
  S: '5',
  s: '5',
  B: '8',
  G: '6',
  b: '6',
  g: '9',
  T: '7',
};

function digitsOnly(value: string): string {
  return [...value].map((c) => TO_DIGIT[c] ?? c).join('');
}

/** Trims stray punctuation OCR adds at the ends (a dot from a screw, a quote from a scratch). */
function trimJunk(value: string): string {
  return value.replace(/^[\s.,:;'"`´|_~!*-]+/u, '').replace(/[\s.,:;'"`´|_~!*]+$/u, '');
}

/**
 * A serial: digits with optional single spaces or dashes between groups ("2145 0123456"), or an
 * alphanumeric code with mostly digits. Letters that OCR confuses with digits are read as digits
 * when the rest is digits.
 */
export function cleanSerial(raw: string): string | null {
  const first = trimJunk(raw).split(/\s{2,}/u)[0] ?? '';
  const tokens = first.split(/\s+/u).filter((t) => t.length > 0);
  const kept: string[] = [];
  for (const token of tokens) {
    const t = trimJunk(token);
    const fixed = digitsOnly(t);
    const digits = fixed.replace(/[^0-9]/gu, '').length;
    // A token that is mostly digits belongs to the serial; a word ends it.
    if (digits > 0 && digits >= fixed.replace(/[-/]/gu, '').length * 0.6) kept.push(/^[0-9-/]+$/u.test(fixed) ? fixed : t);
    else if (kept.length === 0 && /^[A-Z0-9-]{4,}$/u.test(t)) kept.push(t);
    else break;
  }
  const value = kept.join(' ');
  return value.length >= 3 ? value : null;
}

/** Cyrillic letters that look like Latin ones, as the Bulgarian model reads Latin print. */
const LATIN_LOOKALIKE: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  х: 'x',
  у: 'y',
};

/**
 * A model: the words after the label, with OCR's stray edge punctuation removed. Model names are
 * Latin: in a value mostly of Latin letters and digits, Cyrillic look-alikes become Latin, and "!" next to
 * a capital is an I.
 */
export function cleanModel(raw: string): string | null {
  let value = trimJunk(raw.replace(/\s+/gu, ' '));
  const latin = (value.match(/[A-Za-z0-9]/gu) ?? []).length;
  const cyrillic = (value.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  if (latin > cyrillic) value = [...value].map((c) => LATIN_LOOKALIKE[c] ?? c).join('');
  value = value.replace(/(?<=[A-Z])!|!(?=[A-Z])/gu, 'I');
  return value.length >= 2 ? value : null;
}

/**
 * A date, normalised to ISO 8601 so the console can compare it: "2145" (a production code, year
 * and week: yyww) → "2021-W45"; "11/2021", "11.2021" → "2021-11"; "05.11.2021" → "2021-11-05";
 * "2021-11-05" stays; a bare year → "2021".
 */
export function cleanDate(raw: string, label: string): string | null {
  const text = digitsOnly(trimJunk(raw).split(/\s{2,}/u)[0] ?? '').replace(/\s+/gu, ' ');
  let m = /^(\d{4})-(\d{2})-(\d{2})/u.exec(text);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})/u.exec(text);
  if (m && Number(m[2]) <= 12 && Number(m[1]) <= 31) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  m = /^(\d{1,2})\s?[./-]\s?(\d{4})\b/u.exec(text);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) return `${m[2]}-${m[1]!.padStart(2, '0')}`;
  m = /^(\d{4})[./-](\d{1,2})\b/u.exec(text);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{2})\s?(\d{2})\b/u.exec(text);
  // Production codes (P/C) are yyww; four digits that are a plausible year are a year elsewhere.
  if (m && /^p/iu.test(label.trim())) {
    const week = Number(m[2]);
    if (week >= 1 && week <= 53) return `20${m[1]}-W${m[2]}`;
  }
  m = /^((?:19|20)\d{2})\b/u.exec(text);
  if (m) return m[1]!;
  m = /^(\d{2})(\d{2})\b/u.exec(text);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 53) return `20${m[1]}-W${m[2]}`;
  return null;
}

type Candidate = FieldReading & { rank: number };

function better(a: Candidate | null, b: Candidate): Candidate {
  return a === null || b.rank < a.rank || (b.rank === a.rank && b.confidence > a.confidence) ? b : a;
}

const round = (n: number): number => Math.round(n * 100) / 100;

const LABEL_ONLY_RE = new RegExp(String.raw`^(?:${ALL_LABELS.join('|')})(?!\p{L})[\s.:;=\-#№%&]*$`, 'iu');

/** A line that holds only a label ("Сериен" above "№ 1539 6488590") is joined to the next one. */
function joinLabelOnlyLines(lines: OcrLine[]): OcrLine[] {
  const out: OcrLine[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (next && LABEL_ONLY_RE.test(line.text.trim())) {
      out.push({ text: `${line.text.trim()} ${next.text.trim()}`, confidence: Math.min(line.confidence, next.confidence) });
      i += 1;
    } else out.push(line);
  }
  return out;
}

/** Fields from OCR lines; a field's confidence is its line's, lowered when the value was repaired. */
export function parseOcrLines(ocrLines: OcrLine[]): NameplateFields {
  const lines = joinLabelOnlyLines(ocrLines);
  let model: Candidate | null = null;
  let serial: Candidate | null = null;
  let date: Candidate | null = null;
  for (const { text, confidence } of lines) {
    const line = text.replace(/[\u2010-\u2015]/gu, '-').trim();
    const rawModel = afterLabel(line, MODEL_RE);
    const modelValue = rawModel === null ? null : cleanModel(rawModel);
    if (modelValue !== null) {
      // "Typ/Type" (a bilingual label) is surer than a bare "Type" inside a sentence.
      const rank = new RegExp(TYP_TYPE, 'iu').test(line) ? 0 : 1;
      model = better(model, { value: modelValue, confidence: round(confidence), rank });
    }
    const rawSerial = afterLabel(line, SERIAL_RE);
    const serialValue = rawSerial === null ? null : cleanSerial(rawSerial);
    if (serialValue !== null) {
      const repaired = serialValue !== trimJunk(rawSerial!).slice(0, serialValue.length);
      serial = better(serial, { value: serialValue, confidence: round(confidence * (repaired ? 0.8 : 1)), rank: 0 });
    }
    const dateMatch = DATE_RE.exec(line);
    const rawDate = afterLabel(line, DATE_RE);
    const dateValue = rawDate === null || !dateMatch ? null : cleanDate(rawDate, dateMatch[0]);
    if (dateValue !== null) {
      // A P/C or dated label beats a bare year ("Baujahr 2021").
      const rank = dateValue.length > 4 ? 0 : 1;
      date = better(date, { value: dateValue, confidence: round(confidence), rank });
    }
  }
  const strip = (c: Candidate | null): FieldReading | null => (c === null ? null : { value: c.value, confidence: c.confidence });
  return { model: strip(model), serial: strip(serial), date: strip(date) };
}

/** GS1 element strings, "(21)ABC(11)211105" or raw with FNC1/GS separators, to AI → value. */
export function parseGs1(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  if (/^\(\d{2,4}\)/u.test(text)) {
    for (const m of text.matchAll(/\((\d{2,4})\)([^(]*)/gu)) out.set(m[1]!, m[2]!);
    return out.size > 0 ? out : null;
  }
  // Raw: fixed-length AIs run into the next; variable ones end at GS (\x1d).
  const GS = String.fromCharCode(0x1d);
  const fixed: Record<string, number> = { '00': 18, '01': 14, '02': 14, '11': 6, '13': 6, '15': 6, '17': 6 };
  let rest = text.replace(/^\]d2|^\]C1|^\]Q3/u, '');
  if (!/^\d{2}/u.test(rest) || !(rest.includes(GS) || /^(?:01|11|21|240|241)/u.test(rest))) return null;
  while (rest.length > 0) {
    const ai = /^(24[01]|\d{2})/u.exec(rest)?.[1];
    if (ai === undefined) return null;
    rest = rest.slice(ai.length);
    const len = fixed[ai];
    if (len !== undefined) {
      out.set(ai, rest.slice(0, len));
      rest = rest.slice(len);
      if (rest.startsWith(GS)) rest = rest.slice(1);
    } else {
      const end = rest.indexOf(GS);
      out.set(ai, end < 0 ? rest : rest.slice(0, end));
      rest = end < 0 ? '' : rest.slice(end + 1);
    }
  }
  return out.size > 0 ? out : null;
}

/** Fields a code states outright (confidence 1): GS1 AIs, or "S/N: …" style text in a QR. */
export function parseCodes(codes: DecodedCode[]): NameplateFields {
  const fields: NameplateFields = { model: null, serial: null, date: null };
  const set = (field: NameplateField, value: string | null | undefined): void => {
    if (value && fields[field] === null) fields[field] = { value: value.trim(), confidence: 1 };
  };
  for (const code of codes) {
    const gs1 = parseGs1(code.text);
    if (gs1) {
      set('serial', gs1.get('21'));
      set('model', gs1.get('240') ?? gs1.get('241'));
      const d = gs1.get('11');
      if (d && /^\d{6}$/u.test(d))
        set('date', d.slice(4) === '00' ? `20${d.slice(0, 2)}-${d.slice(2, 4)}` : `20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4)}`);
      continue;
    }
    // Text codes: one "label: value" per line or separated by ; or |.
    const lines = code.text.split(/[\r\n;|]+/u).map((text) => ({ text, confidence: 1 }));
    const found = parseOcrLines(lines);
    for (const field of ['model', 'serial', 'date'] as const) set(field, found[field]?.value);
  }
  return fields;
}

/**
 * The code's serial as the plate prints it ("2145 0123456" for "21450123456"): its characters
 * found in one OCR line with spaces and dashes between them; null when no line holds it.
 */
function printedGrouping(serial: string, lines: OcrLine[]): string | null {
  if (/[\s-]/u.test(serial)) return null;
  const pattern = [...serial].map((c) => c.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('[\\s-]?');
  for (const { text } of lines) {
    const m = new RegExp(`(?<![0-9A-Za-z])${pattern}(?![0-9A-Za-z])`, 'u').exec(text);
    if (m) return m[0];
  }
  return null;
}

/**
 * Codes win over OCR, field by field. A code cannot carry spaces (GS1 serials): when the plate
 * prints the same serial in groups, the printed grouping is kept, at the code's confidence.
 */
export function parseNameplate(lines: OcrLine[], codes: DecodedCode[]): NameplateFields {
  const fromCodes = parseCodes(codes);
  const fromText = parseOcrLines(lines);
  const printed = fromCodes.serial ? printedGrouping(fromCodes.serial.value, lines) : null;
  const serial = fromCodes.serial ? { value: printed ?? fromCodes.serial.value, confidence: 1 } : fromText.serial;
  return { model: fromCodes.model ?? fromText.model, serial, date: fromCodes.date ?? fromText.date };
}
