import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { ThemeProvider } from '@zendeskgarden/react-theming';
import type { InviteSent, SmsStatusView } from '@live-assist/protocol';
import { I18nProvider, type AppLocale } from '../i18n/i18n';
import { InviteDelivery } from './InviteDelivery';
import type { InviteDeliveryState } from './inviteDeliveryStore';

const sentSms: InviteSent = { channel: 'sms', locale: 'en', sentAt: '2030-01-01T09:30:00.000Z', to: '+44 ••• ••• 123' };
const actions = { sendToRequester: () => {}, insertIntoReply: () => {}, sendSms: async () => true, resendSms: () => {} };

function render(smsStatus: SmsStatusView['sms'], locale: AppLocale = 'en', more: Partial<InviteDeliveryState> = {}) {
  const state: InviteDeliveryState = {
    smsAvailable: true,
    messaging: false,
    busy: null,
    insertedIntoReply: null,
    sentToRequester: null,
    sentSms,
    smsStatus,
    problem: null,
    ...more,
  };
  return renderToString(
    <ThemeProvider>
      <I18nProvider locale={locale}>
        <InviteDelivery url="https://assist.example.com/join/abc" state={state} actions={actions} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

const status = (state: 'sent' | 'delivered' | 'failed', errorCode: number | null = null) => ({
  state,
  to: sentSms.to!,
  sentAt: sentSms.sentAt,
  errorCode,
});

describe('invite SMS status in the sidebar', () => {
  it('says "sent" until Twilio confirms, then "delivered", without offering a resend', () => {
    expect(render(status('sent'))).toContain('SMS sent to +44 ••• ••• 123');
    const delivered = render(status('delivered'));
    expect(delivered).toContain('SMS delivered to +44 ••• ••• 123.');
    expect(delivered).not.toContain('Resend SMS');
  });

  it("a failed SMS says why, in the agent's language, and offers to resend or copy the link", () => {
    const failed = render(status('failed', 30003));
    expect(failed).toContain('The SMS to +44 ••• ••• 123 was not delivered.');
    expect(failed).toContain('switched off');
    expect(failed).toContain('Resend SMS');
    expect(failed).toContain('Copy link');
    const german = render(status('failed', 30006), 'de');
    expect(german).toContain('Festnetzanschluss');
    expect(german).toContain('SMS erneut senden');
    expect(render(status('failed', 30005), 'bg')).toContain('Този номер не съществува');
  });
});

describe('invite link on messaging and other tickets', () => {
  it('offers "Send link to requester" and "Insert link into reply" on an email or web ticket', () => {
    const html = render(null);
    expect(html).toContain('Send link to requester');
    expect(html).toContain('Insert link into reply');
    expect(html).not.toContain('messaging conversation');
  });

  it('on a messaging ticket offers only the reply, says why, and confirms the insert in the agent’s language', () => {
    const html = render(null, 'en', { messaging: true });
    expect(html).not.toContain('Send link to requester');
    expect(html).toContain('Insert link into reply');
    expect(html).toContain('a ticket comment would not reach the customer');
    expect(render(null, 'de', { messaging: true, insertedIntoReply: 1 })).toContain('Der Link steht in Ihrer Antwort');
    expect(render(null, 'bg', { messaging: true })).toContain('Вмъкни връзката в отговора');
  });
});
