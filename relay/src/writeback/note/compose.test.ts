import { describe, expect, it } from 'vitest';
import { CallEnd, type CallRecord } from './call-record.js';
import { composeCallNote, MAX_NOTE_HTML_BYTES, osmLink } from './compose.js';
import { noteLocaleOf } from './strings.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function record(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    sessionId: 'sess-1',
    ticketId: 1201,
    locale: 'en',
    sessionStartedAt: T0 - 60_000,
    callStartedAt: T0,
    callEndedAt: T0 + 4 * 60_000 + 12_000,
    end: CallEnd.bySpecialist,
    agentName: 'Maria Petrova',
    customerName: 'Georgi Ivanov',
    consent: { policyVersion: '2024-01', locale: 'bg', consentedAt: T0 - 30_000 },
    location: { latitude: 42.6977, longitude: 23.3219, accuracy: 12.4, capturedAt: T0 - 20_000 },
    chat: [
      { at: T0 + 5_000, from: 'specialist', text: 'Hello, please show the pump.' },
      { at: T0 + 20_000, from: 'customer', text: 'Here it is' },
    ],
    images: [
      { kind: 'snapshot', createdAt: T0 + 90_000, contentType: 'image/png', blobKey: 'uploads/s1/s1.png' },
      { kind: 'photo', createdAt: T0 + 60_000, contentType: 'image/jpeg', blobKey: 'uploads/s1/p1.jpg' },
    ],
    ...overrides,
  };
}

describe('composeCallNote', () => {
  it('states times, duration, people, consent, location with map link, chat with times, and lists images', () => {
    const { html, attachments, transcript } = composeCallNote(record());
    expect(html).toContain('Live Assist video call');
    expect(html).toContain('25 Nov 2026, 12:00:00 UTC');
    expect(html).toContain('4 min 12 s');
    expect(html).toContain('ended by the agent');
    expect(html).toContain('Maria Petrova');
    expect(html).toContain('Georgi Ivanov');
    expect(html).toContain('version 2024-01 accepted on 25 Nov 2026, 11:59:30 UTC (language: bg)');
    expect(html).toContain('42.69770, 23.32190 (accuracy ± 12 m');
    expect(html).toContain(`href="${osmLink(42.6977, 23.3219).replace(/&/g, '&amp;')}"`);
    expect(html).toContain('[12:00:05] <strong>Maria Petrova:</strong> Hello, please show the pump.');
    expect(html).toContain('[12:00:20] <strong>Georgi Ivanov:</strong> Here it is');
    expect(html).toContain('1 photo(s) and 1 snapshot(s) attached.');
    expect(transcript).toBeNull();
    expect(attachments).toEqual([
      { fileName: 'photo-1-20261125-120100.jpg', contentType: 'image/jpeg', blobKey: 'uploads/s1/p1.jpg' },
      { fileName: 'snapshot-1-20261125-120130.png', contentType: 'image/png', blobKey: 'uploads/s1/s1.png' },
    ]);
  });

  it('escapes every user string, so chat text and names cannot inject markup', () => {
    const evil = '<img src=x onerror="alert(1)"> & </ul><script>x</script>';
    const { html } = composeCallNote(
      record({
        agentName: '<b>Agent</b>',
        customerName: "O'Brien <i>",
        consent: { policyVersion: '"><a href=x>', locale: '<de>', consentedAt: T0 },
        chat: [{ at: T0, from: 'customer', text: `${evil}\nsecond line` }],
      }),
    );
    expect(html).not.toMatch(/<img|<script|<b>|<i>|<a href=x|<de>/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;/ul&gt;&lt;script&gt;x&lt;/script&gt;<br>second line');
    expect(html).toContain('O&#39;Brien &lt;i&gt;');
    expect(html).toContain('&quot;&gt;&lt;a href=x&gt;');
    // The markup that remains is only the composer's own.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['a', 'br', 'h3', 'h4', 'li', 'p', 'strong', 'ul']);
  });

  it('writes German and Bulgarian notes', () => {
    const de = composeCallNote(record({ locale: 'de' })).html;
    expect(de).toContain('Live-Assist-Videoanruf');
    expect(de).toContain('4 Min. 12 Sek.');
    expect(de).toContain('vom Agenten beendet');
    expect(de).toContain('25.11.2026, 12:00:00 UTC');
    const bg = composeCallNote(record({ locale: 'bg' }));
    expect(bg.html).toContain('Видеоразговор Live Assist');
    expect(bg.html).toContain('4 мин 12 сек');
    expect(bg.attachments[0]?.fileName).toMatch(/^snimka-1-/);
  });

  it('says so when nothing was shared, nobody consented and the customer never joined', () => {
    const { html, attachments } = composeCallNote(
      record({ callStartedAt: null, consent: null, location: null, chat: [], images: [], end: CallEnd.customerVanished }),
    );
    expect(html).toContain('The agent and the customer were never connected at the same time.');
    expect(html).toContain('No consent was given.');
    expect(html).toContain('<strong>Location:</strong> Not shared.');
    expect(html).toContain('No chat messages.');
    expect(html).not.toContain('Duration');
    expect(attachments).toEqual([]);
  });

  it('moves a chat too long for a note into an attached transcript', () => {
    const chat = Array.from({ length: 600 }, (_, i) => ({
      at: T0 + i * 1000,
      from: 'customer' as const,
      text: `line ${i} ${'x'.repeat(120)}`,
    }));
    const { html, transcript } = composeCallNote(record({ chat }));
    expect(Buffer.byteLength(html)).toBeLessThan(MAX_NOTE_HTML_BYTES);
    expect(transcript?.fileName).toBe('chat-transcript-20261125-120412.txt');
    expect(html).toContain('The chat has 600 messages; the full transcript is attached (chat-transcript-20261125-120412.txt).');
    expect(transcript?.text.split('\n')).toHaveLength(601);
    expect(transcript?.text).toContain('Georgi Ivanov: line 599');
  });

  it('maps language tags to note locales', () => {
    expect(noteLocaleOf('bg-BG')).toBe('bg');
    expect(noteLocaleOf('de_AT')).toBe('de');
    expect(noteLocaleOf('EN-us')).toBe('en');
    expect(noteLocaleOf('fr')).toBeNull();
    expect(noteLocaleOf(null)).toBeNull();
  });

  describe('nameplates', () => {
    const plate = (over: Partial<NonNullable<CallRecord['nameplates']>[number]> = {}) => ({
      model: 'Stratos MAXO 25/0,5-8',
      serial: 'SN 2231-0042',
      date: '2019/07',
      createdAt: T0 + 30_000,
      crop: { contentType: 'image/jpeg', blobKey: 'uploads/s1/n1.jpg' },
      ...over,
    });

    it('one plate: a Nameplate section with its values and crop, the crop attached first', () => {
      const { html, attachments } = composeCallNote(record({ nameplates: [plate()] }));
      expect(html).toContain(
        '<h4>Nameplate</h4>\n<p><strong>Model:</strong> Stratos MAXO 25/0,5-8<br><strong>Serial number:</strong> SN 2231-0042<br>' +
          '<strong>Production date:</strong> 2019/07<br>Photo of the plate: nameplate-1.jpg</p>',
      );
      expect(attachments[0]).toEqual({ fileName: 'nameplate-1.jpg', contentType: 'image/jpeg', blobKey: 'uploads/s1/n1.jpg' });
      expect(attachments).toHaveLength(3);
    });

    it('two plates are numbered; a missing value is left out, a crop that is gone is not named', () => {
      const { html, attachments } = composeCallNote(
        record({
          images: [],
          nameplates: [plate(), plate({ model: 'Motor M-7', serial: undefined, date: undefined, crop: null })],
        }),
      );
      expect(html).toContain('<h4>Nameplate 1</h4>');
      expect(html).toContain('<h4>Nameplate 2</h4>\n<p><strong>Model:</strong> Motor M-7</p>');
      expect(attachments.map((a) => a.fileName)).toEqual(['nameplate-1.jpg']);
    });

    it('escapes the values the specialist typed', () => {
      const { html } = composeCallNote(record({ nameplates: [plate({ serial: '<img src=x onerror=alert(1)>&' })] }));
      expect(html).toContain('<strong>Serial number:</strong> &lt;img src=x onerror=alert(1)&gt;&amp;');
      expect(html).not.toContain('<img');
    });

    it('speaks the note language, with file names in plain ASCII', () => {
      const bg = composeCallNote(record({ locale: 'bg', nameplates: [plate()] }));
      expect(bg.html).toContain('<h4>Фабрична табелка</h4>');
      expect(bg.html).toContain('<strong>Сериен номер:</strong> SN 2231-0042');
      expect(bg.attachments[0]?.fileName).toBe('tabelka-1.jpg');
      const de = composeCallNote(record({ locale: 'de', nameplates: [plate(), plate()] }));
      expect(de.html).toContain('<h4>Typenschild 2</h4>');
      expect(de.html).toContain('<strong>Herstellungsdatum:</strong> 2019/07');
      expect(de.attachments.slice(0, 2).map((a) => a.fileName)).toEqual(['typenschild-1.jpg', 'typenschild-2.jpg']);
    });

    it('a call without plates has no nameplate section', () => {
      expect(composeCallNote(record()).html).not.toMatch(/Nameplate/);
    });
  });
});
