import { describe, expect, it } from 'vitest';
import { agentLocaleOverride } from './agent-locale.js';

describe('agentLocaleOverride (?locale= on a sandbox ticket page)', () => {
  it('takes a known locale in Zendesk spelling, whatever its case', () => {
    expect(agentLocaleOverride('?locale=bg')).toEqual({ locale: 'bg' });
    expect(agentLocaleOverride('?locale=de')).toEqual({ locale: 'de' });
    expect(agentLocaleOverride('?foo=1&locale=EN-gb')).toEqual({ locale: 'en-GB' });
  });

  it('leaves the agent alone without the parameter', () => {
    expect(agentLocaleOverride('')).toBeNull();
    expect(agentLocaleOverride('?locale=')).toBeNull();
    expect(agentLocaleOverride('?lang=bg')).toBeNull();
  });

  it('refuses anything that is not a known locale', () => {
    expect(agentLocaleOverride('?locale=xx')).toEqual({ unknown: 'xx' });
    expect(agentLocaleOverride('?locale=bg-BG')).toEqual({ unknown: 'bg-BG' });
    expect(agentLocaleOverride('?locale=%3Cscript%3E')).toEqual({ unknown: '<script>' });
  });
});
