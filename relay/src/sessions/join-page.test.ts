import { describe, expect, it } from 'vitest';
import { joinPage, languageFiles, pageLanguage } from './join-page.js';

const LANGUAGES = new Set(['en', 'bg', 'de']);
const SHELL = '<!doctype html><html><head><title>Call</title></head><body><div id="root"></div></body></html>';

describe('the language the customer page will pick', () => {
  it.each([
    ['?lang=bg', 'de-DE,de;q=0.9', 'bg'],
    ['?lang=DE-at', undefined, 'de'],
    ['?lang=fr', 'bg-BG,bg;q=0.9,en;q=0.5', 'bg'],
    ['', 'fr-FR,fr;q=0.9,de;q=0.8,en;q=0.7', 'de'],
    ['', 'en;q=0.5, bg;q=0.8', 'bg'],
    ['', 'de;q=0, en', 'en'],
    ['', 'fr, it', 'en'],
    ['', '*', 'en'],
    ['', undefined, 'en'],
  ])('search %j, Accept-Language %j → %s', (search, acceptLanguage, language) => {
    expect(pageLanguage(search, acceptLanguage, LANGUAGES)).toBe(language);
  });
});

describe('the language bundles in a build manifest', () => {
  it('maps each language module to its hashed file, and only a plain file under assets/', () => {
    const files = languageFiles({
      'index.html': { file: 'assets/index-abc.js' },
      'src/i18n/en.json': { file: 'assets/en-abc.js' },
      'src/i18n/de.json': { file: 'assets/de-"onload=x.js' },
      'src/i18n/bg.json': { file: '../bg.js' },
      'src/other/fr.json': { file: 'assets/fr-abc.js' },
    });
    expect([...files]).toEqual([['en', 'assets/en-abc.js']]);
  });
});

describe('the customer page with its invite answer', () => {
  it('carries the answer in a data block no company name can break out of, and the language preload', () => {
    const name = 'Evil </script><script>alert(1)</script> <!-- & Co';
    const html = joinPage(SHELL, { answer: { status: 200, body: { companyName: name } }, preload: '/customer/assets/de-abc.js' });
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain('<link rel="modulepreload" crossorigin href="/customer/assets/de-abc.js">');
    const blocks = [...html.matchAll(/<script type="application\/json" id="live-assist-invite">(.*?)<\/script>/g)];
    expect(blocks).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<!--');
    expect(JSON.parse(blocks[0]![1]!)).toEqual({ status: 200, body: { companyName: name } });
  });

  it('has no preload when the language bundle is not known', () => {
    expect(joinPage(SHELL, { answer: { status: 404, body: {} }, preload: null })).not.toContain('modulepreload');
  });
});
