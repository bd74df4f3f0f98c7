import { describe, expect, it } from 'vitest';
import bg from './bg.json';
import de from './de.json';
import en from './en.json';
import { detectLanguage } from './index.js';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('detectLanguage', () => {
  it('prefers ?lang= over the browser languages', () => {
    expect(detectLanguage('?lang=de', ['bg-BG'])).toBe('de');
  });
  it('uses the first supported browser language', () => {
    expect(detectLanguage('', ['fr-FR', 'bg-BG', 'de'])).toBe('bg');
  });
  it('falls back to English for unknown languages and bad ?lang= values', () => {
    expect(detectLanguage('?lang=xx', ['fr'])).toBe('en');
  });
});

describe('translations', () => {
  it('Bulgarian and German have every English key', () => {
    expect(keys(bg).sort()).toEqual(keys(en).sort());
    expect(keys(de).sort()).toEqual(keys(en).sort());
  });
  it('English accessible names are the agreed ones', () => {
    expect(en.consent.accept).toBe('I accept the privacy policy');
    expect(en.consent.proceed).toBe('Proceed with the call');
    expect(en.permissions.allow).toBe('Allow camera and microphone');
    expect([en.call.cameraOff, en.call.cameraOn, en.call.mute, en.call.unmute, en.call.end]).toEqual([
      'Turn camera off',
      'Turn camera on',
      'Mute',
      'Unmute',
      'End call',
    ]);
  });
});
