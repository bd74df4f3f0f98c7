import { escapeHtml } from '../writeback/note/html.js';
import { NoteLocale, type NoteLocale as Locale } from '../writeback/note/call-record.js';
import { noteLocaleOf } from '../writeback/note/strings.js';

interface InviteStrings {
  intl: string;
  greeting: (name: string) => string;
  body: (agent: string, company: string) => string;
  button: string;
  validUntil: (time: string) => string;
  sms: (company: string, url: string) => string;
}

const STRINGS: Record<Locale, InviteStrings> = {
  en: {
    intl: 'en-GB',
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    body: (agent, company) =>
      `${agent} from ${company} support invites you to a video call, so you can show the problem with your phone's camera.`,
    button: 'Join the video call',
    validUntil: (time) => `The link works until ${time} (UTC). Open it on your smartphone.`,
    sms: (company, url) => `${company} support invites you to a video call: ${url}`,
  },
  bg: {
    intl: 'bg-BG',
    greeting: (name) => (name ? `Здравейте, ${name},` : 'Здравейте,'),
    body: (agent, company) =>
      `${agent} от поддръжката на ${company} Ви кани на видеоразговор, за да покажете проблема с камерата на телефона си.`,
    button: 'Включете се във видеоразговора',
    validUntil: (time) => `Връзката е валидна до ${time} (UTC). Отворете я на смартфона си.`,
    sms: (company, url) => `Поддръжката на ${company} Ви кани на видеоразговор: ${url}`,
  },
  de: {
    intl: 'de-DE',
    greeting: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
    body: (agent, company) =>
      `${agent} vom ${company}-Support lädt Sie zu einem Videoanruf ein, damit Sie das Problem mit der Kamera Ihres Smartphones zeigen können.`,
    button: 'Am Videoanruf teilnehmen',
    validUntil: (time) => `Der Link gilt bis ${time} (UTC). Öffnen Sie ihn auf Ihrem Smartphone.`,
    sms: (company, url) => `Der ${company}-Support lädt Sie zu einem Videoanruf ein: ${url}`,
  },
};

export interface InviteMessageInput {
  /** The requester's language tag (helpdesk profile); unknown languages fall back to English. */
  locale: string | null | undefined;
  requesterName: string;
  agentName: string;
  companyName: string;
  inviteUrl: string;
  expiresAt: number;
}

export function inviteLocale(tag: string | null | undefined): Locale {
  return noteLocaleOf(tag) ?? NoteLocale.en;
}

function expiry(s: InviteStrings, ms: number): string {
  return new Intl.DateTimeFormat(s.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(ms);
}

/** The public ticket comment carrying the invite link (every inserted value escaped). */
export function inviteCommentHtml(input: InviteMessageInput): string {
  const s = STRINGS[inviteLocale(input.locale)];
  const url = escapeHtml(input.inviteUrl);
  return [
    `<p>${escapeHtml(s.greeting(input.requesterName))}</p>`,
    `<p>${escapeHtml(s.body(input.agentName, input.companyName))}</p>`,
    `<p><a href="${url}"><strong>${escapeHtml(s.button)}</strong></a><br>${url}</p>`,
    `<p>${escapeHtml(s.validUntil(expiry(s, input.expiresAt)))}</p>`,
  ].join('\n');
}

/** The same invite as plain text, for a messaging composer that takes no HTML. */
export function inviteReplyText(input: InviteMessageInput): string {
  const s = STRINGS[inviteLocale(input.locale)];
  return [
    s.greeting(input.requesterName),
    s.body(input.agentName, input.companyName),
    input.inviteUrl,
    s.validUntil(expiry(s, input.expiresAt)),
  ].join('\n\n');
}

/** One short SMS segment where the alphabet allows; the link is the message. */
export function inviteSmsText(input: Pick<InviteMessageInput, 'locale' | 'companyName' | 'inviteUrl'>): string {
  return STRINGS[inviteLocale(input.locale)].sms(input.companyName, input.inviteUrl);
}
