import { describe, expect, it } from 'vitest';
import { injectIntoHead, messagePage, scriptSafeJson } from './pages.js';

describe('pages', () => {
  it('script-safe JSON cannot close the script element and still parses back', () => {
    const value = { name: '</script><script>alert(1)</script>', amp: 'a&b', sep: '\u2028' };
    const text = scriptSafeJson(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('injects before </head>', () => {
    expect(injectIntoHead('<html><head><title>x</title></head><body></body></html>', '<s></s>')).toBe(
      '<html><head><title>x</title><s></s></head><body></body></html>',
    );
  });

  it('escapes text in message pages', () => {
    expect(messagePage('<b>', 'a & b')).toContain('<title>&#60;b&#62;</title>');
  });
});
