import type { NoteAttachment } from '../types.js';
import { CallImageKind, type CallRecord, type CallChatLine, type CallNameplate } from './call-record.js';
import { escapeHtml, fill, userText } from './html.js';
import { NOTE_STRINGS, type NoteStrings } from './strings.js';

/**
 * The note's HTML for every helpdesk: Zendesk refuses comments over 64 KB (Freshdesk documents no
 * lower bound for a note's body), and the marker line and some slack stay below that.
 */
export const MAX_NOTE_HTML_BYTES = 60_000;

export interface ComposedNote {
  html: string;
  /** Images to upload with the note, in call order. */
  attachments: NoteAttachment[];
  /**
   * Set when the chat is too long for the note body: the caller writes this text to a file and
   * attaches it under `fileName`.
   */
  transcript: { fileName: string; text: string } | null;
  /** Body of the follow-up comments when the files need more than one comment. */
  followUpHtml: string;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** The internal note for one call: clean HTML (every user string escaped) and its attachments. */
export function composeCallNote(record: CallRecord): ComposedNote {
  const s = NOTE_STRINGS[record.locale];
  const fmt = formatters(s);
  const plates = nameplateFiles(record, s);
  // The plates' crops first: what the ticket is about goes with the note's own comment.
  const attachments = [...plates.flatMap((p) => (p.file ? [p.file] : [])), ...imageAttachments(record, s, fmt)];

  const head = [
    `<h3>${escapeHtml(s.title)}</h3>`,
    timesSection(record, s, fmt),
    `<p><strong>${escapeHtml(s.agent)}:</strong> ${userText(record.agentName)}<br>` +
      `<strong>${escapeHtml(s.customer)}:</strong> ${userText(record.customerName || s.customerUnknown)}</p>`,
    consentSection(record, s, fmt),
    locationSection(record, s, fmt),
    ...nameplateSections(plates, s),
  ];
  const images = imagesSection(record, s);

  const followUpHtml = `<p>${fill(s.followUp, { time: fmt.dateTime(record.callEndedAt) })}</p>`;
  const chatHtml = chatSection(record, s, fmt);
  const full = [...head, chatHtml, images].join('\n');
  if (Buffer.byteLength(full, 'utf8') <= MAX_NOTE_HTML_BYTES) return { html: full, attachments, transcript: null, followUpHtml };

  const fileName = `${s.fileNames.transcript}-${fmt.fileStamp(record.callEndedAt)}.txt`;
  const summary = `<h4>${escapeHtml(s.chat)}</h4>\n` + `<p>${fill(s.chatAttached, { count: record.chat.length, file: fileName })}</p>`;
  return {
    html: [...head, summary, images].join('\n'),
    attachments,
    transcript: { fileName, text: transcriptText(record, s, fmt) },
    followUpHtml,
  };
}

type Formatters = ReturnType<typeof formatters>;

function formatters(s: NoteStrings) {
  const dateTime = new Intl.DateTimeFormat(s.intl, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
  const time = new Intl.DateTimeFormat(s.intl, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  const coord = new Intl.NumberFormat('en-US', { minimumFractionDigits: 5, maximumFractionDigits: 5, useGrouping: false });
  const metres = new Intl.NumberFormat(s.intl, { maximumFractionDigits: 0 });
  return {
    dateTime: (ms: number) => `${dateTime.format(ms)} UTC`,
    time: (ms: number) => time.format(ms),
    coord: (n: number) => coord.format(n),
    metres: (n: number) => metres.format(n),
    duration(ms: number): string {
      const total = Math.max(0, Math.round(ms / 1000));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const sec = total % 60;
      const parts =
        h > 0
          ? [`${h} ${s.units.h}`, `${m} ${s.units.min}`]
          : m > 0
            ? [`${m} ${s.units.min}`, `${sec} ${s.units.s}`]
            : [`${sec} ${s.units.s}`];
      return parts.join(' ');
    },
    fileStamp(ms: number): string {
      return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    },
  };
}

function timesSection(r: CallRecord, s: NoteStrings, f: Formatters): string {
  const how = escapeHtml(s.endedHow[r.end]);
  if (r.callStartedAt === null) {
    return (
      `<p><strong>${escapeHtml(s.sessionStarted)}:</strong> ${escapeHtml(f.dateTime(r.sessionStartedAt))}<br>` +
      `<strong>${escapeHtml(s.end)}:</strong> ${escapeHtml(f.dateTime(r.callEndedAt))} (${how})<br>` +
      `${escapeHtml(s.noCall)}</p>`
    );
  }
  return (
    `<p><strong>${escapeHtml(s.start)}:</strong> ${escapeHtml(f.dateTime(r.callStartedAt))}<br>` +
    `<strong>${escapeHtml(s.end)}:</strong> ${escapeHtml(f.dateTime(r.callEndedAt))} (${how})<br>` +
    `<strong>${escapeHtml(s.duration)}:</strong> ${escapeHtml(f.duration(r.callEndedAt - r.callStartedAt))}</p>`
  );
}

function consentSection(r: CallRecord, s: NoteStrings, f: Formatters): string {
  const body = r.consent
    ? fill(s.consentText, { version: r.consent.policyVersion, time: f.dateTime(r.consent.consentedAt), locale: r.consent.locale })
    : escapeHtml(s.noConsent);
  return `<p><strong>${escapeHtml(s.consent)}:</strong> ${body}</p>`;
}

/** OpenStreetMap marker link; coordinates are numbers, never user text. */
export function osmLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function locationSection(r: CallRecord, s: NoteStrings, f: Formatters): string {
  const l = r.location;
  if (!l || !Number.isFinite(l.latitude) || !Number.isFinite(l.longitude)) {
    return `<p><strong>${escapeHtml(s.location)}:</strong> ${escapeHtml(s.noLocation)}</p>`;
  }
  const text = fill(s.locationText, {
    lat: f.coord(l.latitude),
    lon: f.coord(l.longitude),
    accuracy: f.metres(l.accuracy),
    time: f.dateTime(l.capturedAt),
  });
  return (
    `<p><strong>${escapeHtml(s.location)}:</strong> ${text}<br>` +
    `<a href="${escapeHtml(osmLink(l.latitude, l.longitude))}">${escapeHtml(s.mapLink)}</a></p>`
  );
}

function speaker(r: CallRecord, s: NoteStrings, line: CallChatLine): string {
  return line.from === 'specialist' ? r.agentName || s.agent : r.customerName || s.customerUnknown;
}

function chatSection(r: CallRecord, s: NoteStrings, f: Formatters): string {
  if (r.chat.length === 0) return `<h4>${escapeHtml(s.chat)}</h4>\n<p>${escapeHtml(s.noChat)}</p>`;
  const items = r.chat.map(
    (line) =>
      `<li>[${escapeHtml(f.time(line.at))}] <strong>${userText(speaker(r, s, line))}:</strong> ${userText(line.text)}${photosOf(s, line)}</li>`,
  );
  return `<h4>${escapeHtml(s.chat)}</h4>\n<ul>\n${items.join('\n')}\n</ul>`;
}

function photosOf(s: NoteStrings, line: CallChatLine): string {
  return line.photos ? ` ${fill(s.chatPhotos, { count: line.photos })}` : '';
}

function transcriptText(r: CallRecord, s: NoteStrings, f: Formatters): string {
  return `${r.chat.map((line) => `[${f.dateTime(line.at)}] ${speaker(r, s, line)}: ${line.text}${line.photos ? ` ${s.chatPhotos.replace('{count}', String(line.photos))}` : ''}`).join('\n')}\n`;
}

function imagesSection(r: CallRecord, s: NoteStrings): string {
  const photos = r.images.filter((i) => i.kind === CallImageKind.photo).length;
  const snapshots = r.images.length - photos;
  const body = r.images.length === 0 ? escapeHtml(s.noImages) : fill(s.imagesText, { photos, snapshots });
  return `<h4>${escapeHtml(s.images)}</h4>\n<p>${body}</p>`;
}

interface PlateWithFile {
  plate: CallNameplate;
  file: NoteAttachment | null;
}

/** `nameplate-1.jpg`, `nameplate-2.png`, …: numbered like the sections that name them. */
function nameplateFiles(r: CallRecord, s: NoteStrings): PlateWithFile[] {
  return (r.nameplates ?? []).map((plate, i) => ({
    plate,
    file: plate.crop
      ? {
          fileName: `${s.fileNames.nameplate}-${i + 1}.${EXTENSIONS[plate.crop.contentType] ?? 'bin'}`,
          contentType: plate.crop.contentType,
          blobKey: plate.crop.blobKey,
        }
      : null,
  }));
}

/** One section per confirmed plate: the values the specialist confirmed (user text) and its crop's file. */
function nameplateSections(plates: readonly PlateWithFile[], s: NoteStrings): string[] {
  return plates.map(({ plate, file }, i) => {
    const heading = plates.length > 1 ? fill(s.nameplateNumbered, { n: i + 1 }) : escapeHtml(s.nameplate);
    const lines = (
      [
        [s.nameplateModel, plate.model],
        [s.nameplateSerial, plate.serial],
        [s.nameplateDate, plate.date],
      ] as const
    ).flatMap(([label, value]) => (value ? [`<strong>${escapeHtml(label)}:</strong> ${userText(value)}`] : []));
    if (file) lines.push(fill(s.nameplateCrop, { file: file.fileName }));
    return `<h4>${heading}</h4>\n<p>${lines.join('<br>')}</p>`;
  });
}

function imageAttachments(r: CallRecord, s: NoteStrings, f: Formatters): NoteAttachment[] {
  const counters: Record<CallImageKind, number> = { photo: 0, snapshot: 0 };
  return [...r.images]
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((image) => {
      counters[image.kind] += 1;
      const ext = EXTENSIONS[image.contentType] ?? 'bin';
      const base = image.kind === CallImageKind.photo ? s.fileNames.photo : s.fileNames.snapshot;
      return {
        fileName: `${base}-${counters[image.kind]}-${f.fileStamp(image.createdAt)}.${ext}`,
        contentType: image.contentType,
        blobKey: image.blobKey,
      };
    });
}
