import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { ThemeProvider } from '@zendeskgarden/react-theming';
import { Emitter, type RelaySocketEvents } from '@live-assist/client-core';
import { I18nProvider, type AppLocale } from '../../i18n/i18n';
import type { NameplateReading } from './contract';
import { ConsoleNameplate } from './consoleNameplate';
import { NameplatePanel } from './NameplatePanel';

const READING: NameplateReading = {
  fields: { model: { value: 'WP 32-4', confidence: 0.93 }, serial: { value: '4711-0815', confidence: 0.62 }, date: null },
  text: 'Type WP 32-4\nS/N 4711-0815',
  codes: [{ format: 'DataMatrix', text: '(21)4711-0815' }],
  ms: 500,
};

async function plateAfterReading(reading: NameplateReading | Error): Promise<ConsoleNameplate> {
  const emitter = new Emitter<RelaySocketEvents>();
  const plate = new ConsoleNameplate({
    socket: { send: () => true, on: (e, h) => emitter.on(e, h) },
    sessionId: 's',
    specialistToken: 't',
    relayUrl: 'https://relay.test',
    createReader: async () => {
      if (reading instanceof Error) throw reading;
      return { read: async () => reading, close: () => undefined };
    },
    loadStill: async () => ({ close: () => undefined }) as unknown as ImageBitmap,
    cropStill: async () => new Blob(['png']),
    objectUrl: { create: () => 'blob:crop', revoke: () => undefined },
  });
  plate.setStill({ id: 'f1', url: 'u', width: 1280, height: 720 });
  plate.select();
  plate.setBox({ x: 300, y: 200, width: 600, height: 300 });
  await new Promise((r) => setTimeout(r, 0));
  await plate.read();
  return plate;
}

function render(plate: ConsoleNameplate, locale: AppLocale = 'en'): string {
  return renderToString(
    <ThemeProvider>
      <I18nProvider locale={locale}>
        <NameplatePanel nameplate={plate} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'");

describe('the nameplate panel', () => {
  it('shows each field with how sure the reading is, and asks to check a doubtful one', async () => {
    const html = render(await plateAfterReading(READING));
    expect(html).toContain('src="blob:crop"');
    expect(html).toMatch(/data-testid="nameplate-serial"[^>]*value="4711-0815"|value="4711-0815"[^>]*data-testid="nameplate-serial"/);
    const words = text(html);
    expect(words).toContain('93% sure');
    expect(words).toContain('62% sure: check this');
    expect(words).toContain('Not found');
    expect(words).toContain('Data Matrix');
    expect(words).toContain('(21)4711-0815');
    expect(words).toContain('Add to ticket');
    // Only the doubtful field is marked (Garden's warning state, read out as needing attention).
    const flagged = (html.match(/<input[^>]*>/g) ?? []).filter((tag) => tag.includes('aria-invalid="true"'));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toContain('data-testid="nameplate-serial"');
  });

  it('says so in German and Bulgarian', async () => {
    const plate = await plateAfterReading(READING);
    const de = text(render(plate, 'de'));
    expect(de).toContain('Seriennummer');
    expect(de).toMatch(/62\s%\ssicher: bitte prüfen/);
    expect(de).toContain('Zum Ticket hinzufügen');
    const bg = text(render(plate, 'bg'));
    expect(bg).toContain('Сериен номер');
    expect(bg).toContain('Добави към тикета');
  });

  it('says plainly when the engine did not load, with the fields open to type', async () => {
    const html = render(await plateAfterReading(new Error('blocked')));
    expect(text(html)).toContain('The text reader could not load. Type the values as you read them on the picture.');
    expect(html).toContain('data-testid="nameplate-serial"');
    expect(html).toMatch(/data-testid="nameplate-confirm"[^>]*disabled=""|disabled=""[^>]*data-testid="nameplate-confirm"/);
  });
});
