import type { CallEnd, NoteLocale } from './call-record.js';

/** Note wording per locale. Values are trusted text; placeholders are filled with escaped values. */
export interface NoteStrings {
  /** Intl locale used for dates and numbers. */
  intl: string;
  title: string;
  start: string;
  end: string;
  duration: string;
  noCall: string;
  sessionStarted: string;
  endedHow: Record<CallEnd, string>;
  agent: string;
  customer: string;
  customerUnknown: string;
  consent: string;
  consentText: string;
  noConsent: string;
  location: string;
  locationText: string;
  mapLink: string;
  noLocation: string;
  chat: string;
  noChat: string;
  chatPhotos: string;
  chatAttached: string;
  images: string;
  imagesText: string;
  noImages: string;
  /** Heading of the nameplate section; numbered ("{n}") when the call read more than one plate. */
  nameplate: string;
  nameplateNumbered: string;
  nameplateModel: string;
  nameplateSerial: string;
  nameplateDate: string;
  /** Names the crop's attached file. */
  nameplateCrop: string;
  /** Heading of the follow-up comments that carry files one comment cannot hold. */
  followUp: string;
  units: { h: string; min: string; s: string };
  fileNames: { photo: string; snapshot: string; transcript: string; nameplate: string };
  /** Heading over the files the helpdesk refused to store (e.g. an admin's allowed file types). */
  refusedFiles: string;
}

const en: NoteStrings = {
  intl: 'en-GB',
  title: 'Live Assist video call',
  start: 'Call started',
  end: 'Call ended',
  duration: 'Duration',
  noCall: 'The agent and the customer were never connected at the same time.',
  sessionStarted: 'Link created',
  endedHow: {
    'ended-by-specialist': 'ended by the agent',
    'ended-by-customer': 'ended by the customer',
    replaced: 'replaced by a new session',
    expired: 'the link expired',
    'specialist-vanished': 'the agent disconnected and did not return',
    'customer-vanished': 'the customer disconnected and did not return',
  },
  agent: 'Agent',
  customer: 'Customer',
  customerUnknown: 'Customer',
  consent: 'Consent',
  consentText: 'Privacy policy version {version} accepted on {time} (language: {locale})',
  noConsent: 'No consent was given.',
  location: 'Location',
  locationText: '{lat}, {lon} (accuracy ± {accuracy} m, at {time})',
  mapLink: 'Open in OpenStreetMap',
  noLocation: 'Not shared.',
  chat: 'Chat',
  noChat: 'No chat messages.',
  chatPhotos: '[{count} photo(s)]',
  chatAttached: 'The chat has {count} messages; the full transcript is attached ({file}).',
  nameplate: 'Nameplate',
  nameplateNumbered: 'Nameplate {n}',
  nameplateModel: 'Model',
  nameplateSerial: 'Serial number',
  nameplateDate: 'Production date',
  nameplateCrop: 'Photo of the plate: {file}',
  followUp: 'More files from the Live Assist video call that ended {time}',
  images: 'Photos and snapshots',
  imagesText: '{photos} photo(s) and {snapshots} snapshot(s) attached.',
  noImages: 'None.',
  units: { h: 'h', min: 'min', s: 's' },
  fileNames: { photo: 'photo', snapshot: 'snapshot', transcript: 'chat-transcript', nameplate: 'nameplate' },
  refusedFiles: 'Not attached: the helpdesk refused these files',
};

const bg: NoteStrings = {
  intl: 'bg-BG',
  title: 'Видеоразговор Live Assist',
  start: 'Начало на разговора',
  end: 'Край на разговора',
  duration: 'Продължителност',
  noCall: 'Служителят и клиентът не са били свързани едновременно.',
  sessionStarted: 'Връзката е създадена',
  endedHow: {
    'ended-by-specialist': 'прекратен от служителя',
    'ended-by-customer': 'прекратен от клиента',
    replaced: 'заменен от нова сесия',
    expired: 'връзката изтече',
    'specialist-vanished': 'служителят прекъсна връзката и не се върна',
    'customer-vanished': 'клиентът прекъсна връзката и не се върна',
  },
  agent: 'Служител',
  customer: 'Клиент',
  customerUnknown: 'Клиент',
  consent: 'Съгласие',
  consentText: 'Политиката за поверителност, версия {version}, е приета на {time} (език: {locale})',
  noConsent: 'Не е дадено съгласие.',
  location: 'Местоположение',
  locationText: '{lat}, {lon} (точност ± {accuracy} м, към {time})',
  mapLink: 'Отвори в OpenStreetMap',
  noLocation: 'Не е споделено.',
  chat: 'Чат',
  noChat: 'Няма съобщения в чата.',
  chatPhotos: '[снимки: {count}]',
  chatAttached: 'Чатът съдържа {count} съобщения; пълният запис е приложен ({file}).',
  nameplate: 'Фабрична табелка',
  nameplateNumbered: 'Фабрична табелка {n}',
  nameplateModel: 'Модел',
  nameplateSerial: 'Сериен номер',
  nameplateDate: 'Дата на производство',
  nameplateCrop: 'Снимка на табелката: {file}',
  followUp: 'Още файлове от видеоразговора с Live Assist, приключил {time}',
  images: 'Снимки и кадри',
  imagesText: 'Приложени: снимки {photos}, кадри {snapshots}.',
  noImages: 'Няма.',
  units: { h: 'ч', min: 'мин', s: 'сек' },
  fileNames: { photo: 'snimka', snapshot: 'kadar', transcript: 'chat-zapis', nameplate: 'tabelka' },
  refusedFiles: 'Не са приложени: системата за поддръжка отказа тези файлове',
};

const de: NoteStrings = {
  intl: 'de-DE',
  title: 'Live-Assist-Videoanruf',
  start: 'Anruf begonnen',
  end: 'Anruf beendet',
  duration: 'Dauer',
  noCall: 'Agent und Kunde waren nie gleichzeitig verbunden.',
  sessionStarted: 'Link erstellt',
  endedHow: {
    'ended-by-specialist': 'vom Agenten beendet',
    'ended-by-customer': 'vom Kunden beendet',
    replaced: 'durch eine neue Sitzung ersetzt',
    expired: 'der Link ist abgelaufen',
    'specialist-vanished': 'der Agent hat die Verbindung verloren und kam nicht zurück',
    'customer-vanished': 'der Kunde hat die Verbindung verloren und kam nicht zurück',
  },
  agent: 'Agent',
  customer: 'Kunde',
  customerUnknown: 'Kunde',
  consent: 'Einwilligung',
  consentText: 'Datenschutzerklärung Version {version} akzeptiert am {time} (Sprache: {locale})',
  noConsent: 'Keine Einwilligung erteilt.',
  location: 'Standort',
  locationText: '{lat}, {lon} (Genauigkeit ± {accuracy} m, um {time})',
  mapLink: 'In OpenStreetMap öffnen',
  noLocation: 'Nicht geteilt.',
  chat: 'Chat',
  noChat: 'Keine Chatnachrichten.',
  chatPhotos: '[{count} Foto(s)]',
  chatAttached: 'Der Chat hat {count} Nachrichten; das vollständige Protokoll ist angehängt ({file}).',
  nameplate: 'Typenschild',
  nameplateNumbered: 'Typenschild {n}',
  nameplateModel: 'Modell',
  nameplateSerial: 'Seriennummer',
  nameplateDate: 'Herstellungsdatum',
  nameplateCrop: 'Foto des Typenschilds: {file}',
  followUp: 'Weitere Dateien aus dem Live-Assist-Videoanruf, beendet {time}',
  images: 'Fotos und Schnappschüsse',
  imagesText: '{photos} Foto(s) und {snapshots} Schnappschuss/Schnappschüsse angehängt.',
  noImages: 'Keine.',
  units: { h: 'Std.', min: 'Min.', s: 'Sek.' },
  fileNames: { photo: 'foto', snapshot: 'schnappschuss', transcript: 'chat-protokoll', nameplate: 'typenschild' },
  refusedFiles: 'Nicht angehängt: Das Helpdesk hat diese Dateien abgelehnt',
};

export const NOTE_STRINGS: Record<NoteLocale, NoteStrings> = { en, bg, de };

/** `bg-BG`, `de_AT`, `DE` → the note locale; anything else → null. */
export function noteLocaleOf(tag: string | null | undefined): NoteLocale | null {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return base === 'en' || base === 'bg' || base === 'de' ? base : null;
}
