import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { ThemeProvider } from '@zendeskgarden/react-theming';
import { I18nProvider, type AppLocale } from '../i18n/i18n';
import { SessionPanel } from '../console/SessionPanel';
import { TakeOverControl } from './TakeOverControl';

function sidebar(locale: AppLocale) {
  return renderToString(
    <ThemeProvider>
      <I18nProvider locale={locale}>
        <TakeOverControl holder="Maria Ivanova" busy={false} onTakeOver={() => {}} onObserve={() => {}} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

function panel(observers: string[]) {
  return renderToString(
    <ThemeProvider>
      <I18nProvider locale="en">
        <SessionPanel stage="in-call" connected location={null} expiresAt={null} observers={observers} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

describe('watching a call another agent holds', () => {
  it('the sidebar offers "Join as observer" next to "Take over", saying who will see it', () => {
    const html = sidebar('en');
    expect(html).toContain('Maria Ivanova is in a call');
    expect(html).toContain('Join as observer');
    expect(html).toContain('Maria Ivanova and the customer see that you are watching.');
    expect(html).toContain('Take over the call');
    expect(sidebar('de')).toContain('Als Beobachter beitreten');
    expect(sidebar('bg')).toContain('Присъедини се като наблюдател');
  });

  it('the console names who is watching, and says nothing when nobody is', () => {
    expect(panel(['Thomas Berg', 'Eva Koch'])).toContain('Watching this call: Thomas Berg, Eva Koch');
    expect(panel([])).not.toContain('Watching this call');
  });
});
