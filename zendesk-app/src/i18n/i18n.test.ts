import { describe, expect, it } from 'vitest';
import en from './en.json';
import bg from './bg.json';
import de from './de.json';
import { pickLocale, translator } from './i18n';

describe('app strings', () => {
  it('Bulgarian and German translate every English string', () => {
    const keys = Object.keys(en).sort();
    expect(Object.keys(bg).sort()).toEqual(keys);
    expect(Object.keys(de).sort()).toEqual(keys);
    for (const messages of [bg, de]) {
      for (const [key, text] of Object.entries(messages)) expect(text.trim(), key).not.toBe('');
    }
  });

  it('keeps the English accessible names the tests and screen readers rely on', () => {
    const t = translator('en');
    expect([
      t('sidebar.startVideo'),
      t('sidebar.inviteLink'),
      t('sidebar.copyLink'),
      t('sidebar.openConsole'),
      t('sidebar.endSession'),
      t('console.endSession'),
    ]).toEqual(['Start video', 'Invite link', 'Copy link', 'Open specialist view', 'End session', 'End session']);
  });

  it('keeps placeholders in every language', () => {
    for (const messages of [bg, de]) {
      for (const [key, text] of Object.entries(en)) {
        const placeholders = text.match(/\{\w+\}/g) ?? [];
        for (const p of placeholders) expect(messages[key as keyof typeof en], key).toContain(p);
      }
    }
  });

  it('picks the language from the agent locale and falls back to English', () => {
    expect(pickLocale('bg')).toBe('bg');
    expect(pickLocale('de-AT')).toBe('de');
    expect(pickLocale('en-US')).toBe('en');
    expect(pickLocale('fr')).toBe('en');
    expect(pickLocale(null)).toBe('en');
    expect(translator('de')('sidebar.startVideo')).toBe('Video starten');
    expect(translator('en')('console.ticket', { ticketId: 42 })).toBe('Ticket #42');
  });
});
