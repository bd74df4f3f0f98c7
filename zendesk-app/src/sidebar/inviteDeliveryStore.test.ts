import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InviteReply, InviteSent, SmsStatusView } from '@live-assist/protocol';
import en from '../i18n/en.json';
import bg from '../i18n/bg.json';
import de from '../i18n/de.json';
import { smsFailureReason } from './smsFailure';
import { RelayApiError } from '../api/relayApi';
import { InviteDeliveryStore, normalizePhone, type ReplyEditor } from './inviteDeliveryStore';
import { qrMatrix, qrPath } from './qr';

const sent = (channel: InviteSent['channel']): InviteSent => ({
  channel,
  locale: 'en',
  sentAt: '2030-01-01T00:00:00.000Z',
  to: channel === 'sms' ? '+44 ••• ••• 123' : null,
});

function api(overrides: Partial<ConstructorParameters<typeof InviteDeliveryStore>[0]> = {}) {
  return {
    deliveryOptions: vi.fn(async () => ({ sms: true })),
    sendToRequester: vi.fn(async () => sent('ticket-comment')),
    sendSms: vi.fn(async () => sent('sms')),
    smsStatus: vi.fn(async (): Promise<SmsStatusView> => ({ sms: null })),
    inviteReply: vi.fn(async (): Promise<InviteReply> => ({
      locale: 'bg',
      html: '<p><a href="https://x/join/t">Join</a></p>',
      text: 'Hello\n\nhttps://x/join/t',
    })),
    ...overrides,
  };
}

/** The ticket's reply editor as ZAF exposes it: what was inserted, and whether it is messaging. */
function editor(messaging: boolean) {
  const inserted: { reply: InviteReply; messaging: boolean }[] = [];
  const e: ReplyEditor = {
    messaging: async () => messaging,
    insert: async (reply, asMessaging) => {
      inserted.push({ reply, messaging: asMessaging });
    },
  };
  return { editor: e, inserted };
}

describe('Insert link into reply', () => {
  it('puts the invite into the agent’s reply as HTML on an email/web ticket, and says so', async () => {
    const a = api();
    const reply = editor(false);
    const store = new InviteDeliveryStore(a, { editor: reply.editor });
    await store.loadOptions();
    store.follow('sess_1');
    await store.insertIntoReply();
    expect(a.inviteReply).toHaveBeenCalledWith('sess_1');
    expect(reply.inserted).toEqual([{ reply: await a.inviteReply('sess_1'), messaging: false }]);
    expect(store.state.get()).toMatchObject({ messaging: false, busy: null, problem: null });
    expect(store.state.get().insertedIntoReply).not.toBeNull();
    expect(a.sendToRequester).not.toHaveBeenCalled();
  });

  it('on a messaging ticket it is marked messaging and inserts plain text', async () => {
    const reply = editor(true);
    const store = new InviteDeliveryStore(api(), { editor: reply.editor });
    await store.loadOptions();
    expect(store.state.get().messaging).toBe(true);
    store.follow('sess_1');
    await store.insertIntoReply();
    expect(reply.inserted.map((i) => i.messaging)).toEqual([true]);
  });

  it('reports an ended session or a refused insert, and inserts nothing then', async () => {
    const reply = editor(false);
    const store = new InviteDeliveryStore(api({ inviteReply: vi.fn().mockRejectedValue(new RelayApiError(410, 'session-ended', 'x')) }), {
      editor: reply.editor,
    });
    store.follow('sess_1');
    await store.insertIntoReply();
    expect(store.state.get().problem).toEqual({ channel: 'reply', kind: 'ended' });
    expect(reply.inserted).toEqual([]);

    const refusing: ReplyEditor = {
      messaging: async () => false,
      insert: () => Promise.reject(new Error('"ticket.comment.appendHtml" is not supported')),
    };
    const second = new InviteDeliveryStore(api(), { editor: refusing });
    second.follow('sess_1');
    await second.insertIntoReply();
    expect(second.state.get()).toMatchObject({ problem: { channel: 'reply', kind: 'failed' }, insertedIntoReply: null });
  });
});

describe('InviteDeliveryStore', () => {
  it('sends to the requester and by SMS for the followed session, and reports what was sent', async () => {
    const a = api();
    const store = new InviteDeliveryStore(a);
    await store.loadOptions();
    expect(store.state.get().smsAvailable).toBe(true);
    store.follow('sess_1');
    await store.sendToRequester();
    expect(a.sendToRequester).toHaveBeenCalledWith('sess_1');
    expect(store.state.get().sentToRequester?.channel).toBe('ticket-comment');
    expect(await store.sendSms('+447700900123')).toBe(true);
    expect(a.sendSms).toHaveBeenCalledWith('sess_1', '+447700900123');
    expect(store.state.get().sentSms?.to).toBe('+44 ••• ••• 123');

    store.follow('sess_2');
    expect(store.state.get()).toMatchObject({ sentToRequester: null, sentSms: null, smsAvailable: true });
  });

  it('names the problem: a refused number, too many texts, a failure', async () => {
    const store = new InviteDeliveryStore(
      api({
        sendSms: vi
          .fn()
          .mockRejectedValueOnce(new RelayApiError(422, 'bad-phone-number', 'x'))
          .mockRejectedValueOnce(new RelayApiError(429, 'too-many-sms', 'x'))
          .mockRejectedValueOnce(new RelayApiError(503, 'sms-misconfigured', 'x')),
        sendToRequester: vi.fn().mockRejectedValue(new RelayApiError(502, 'helpdesk-unavailable', 'x')),
      }),
    );
    store.follow('sess_1');
    expect(await store.sendSms('+447700900123')).toBe(false);
    expect(store.state.get().problem).toEqual({ channel: 'sms', kind: 'bad-number' });
    await store.sendSms('+447700900123');
    expect(store.state.get().problem).toEqual({ channel: 'sms', kind: 'too-many' });
    await store.sendSms('+447700900123');
    expect(store.state.get().problem).toEqual({ channel: 'sms', kind: 'misconfigured' });
    await store.sendToRequester();
    expect(store.state.get().problem).toEqual({ channel: 'requester', kind: 'failed' });
    expect(store.state.get().busy).toBeNull();
  });

  it('does nothing without a session', async () => {
    const a = api();
    const store = new InviteDeliveryStore(a);
    await store.sendToRequester();
    expect(await store.sendSms('+447700900123')).toBe(false);
    expect(a.sendToRequester).not.toHaveBeenCalled();
    expect(a.sendSms).not.toHaveBeenCalled();
  });
});

describe('SMS delivery status', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const sms = (state: 'sent' | 'delivered' | 'failed', errorCode: number | null = null): SmsStatusView => ({
    sms: { state, to: '+44 ••• ••• 123', sentAt: '2030-01-01T00:00:00.000Z', errorCode },
  });

  it('follows a sent SMS until Twilio reports it delivered, then stops asking', async () => {
    const smsStatus = vi
      .fn<(id: string) => Promise<SmsStatusView>>()
      .mockResolvedValueOnce(sms('sent'))
      .mockResolvedValue(sms('delivered'));
    const store = new InviteDeliveryStore(api({ smsStatus }));
    store.follow('sess_1');
    await store.sendSms('+447700900123');
    expect(store.state.get().smsStatus?.state).toBe('sent');
    await vi.advanceTimersByTimeAsync(3000);
    expect(store.state.get().smsStatus?.state).toBe('sent');
    await vi.advanceTimersByTimeAsync(3000);
    expect(store.state.get().smsStatus).toMatchObject({ state: 'delivered', errorCode: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(smsStatus).toHaveBeenCalledTimes(2);
    expect(smsStatus).toHaveBeenCalledWith('sess_1');
  });

  it('a failed SMS carries the reason, and "Resend" sends it again to the confirmed number', async () => {
    const a = api({ smsStatus: vi.fn(async () => sms('failed', 30003)) });
    const store = new InviteDeliveryStore(a);
    store.follow('sess_1');
    await store.sendSms('+447700900123');
    await vi.advanceTimersByTimeAsync(3000);
    const status = store.state.get().smsStatus!;
    expect(status).toMatchObject({ state: 'failed', errorCode: 30003 });
    expect(en[smsFailureReason(status.errorCode)]).toMatch(/switched off/);
    expect(await store.resendSms()).toBe(true);
    expect(a.sendSms).toHaveBeenLastCalledWith('sess_1', '+447700900123');
    expect(store.state.get().smsStatus?.state).toBe('sent');
    store.dispose();
  });

  it("another session stops following the previous one's SMS", async () => {
    const smsStatus = vi.fn(async () => sms('delivered'));
    const store = new InviteDeliveryStore(api({ smsStatus }));
    store.follow('sess_1');
    await store.sendSms('+447700900123');
    store.follow('sess_2');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(smsStatus).not.toHaveBeenCalled();
    expect(store.state.get().smsStatus).toBeNull();
    expect(await store.resendSms()).toBe(false);
  });

  it('names the common delivery failures in every language, and has a fallback for the rest', () => {
    const reasons = [30003, 30005, 30006, 30007].map(smsFailureReason);
    expect(new Set(reasons).size).toBe(4);
    expect(smsFailureReason(30008)).toBe('invite.smsFailedOther');
    expect(smsFailureReason(null)).toBe('invite.smsFailedOther');
    for (const key of [...reasons, 'invite.smsFailedOther', 'invite.smsDelivered', 'invite.smsNotDelivered', 'invite.resendSms'] as const) {
      for (const strings of [en, bg, de]) expect(strings[key], key).toBeTruthy();
    }
    expect(en['invite.smsLandline']).toMatch(/landline/);
    expect(de['invite.smsLandline']).toMatch(/Festnetz/);
  });
});

describe('phone numbers and the QR code', () => {
  it('accepts international numbers with spaces and punctuation only', () => {
    expect(normalizePhone(' +49 (151) 234-5678 ')).toBe('+491512345678');
    expect(normalizePhone('0151 2345678')).toBeNull();
    expect(normalizePhone('+0 151 2345678')).toBeNull();
    expect(normalizePhone('+49 151')).toBeNull();
  });

  it('encodes the link as a square QR matrix with finder patterns in three corners', () => {
    const m = qrMatrix('https://assist.example.com/join/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc');
    const n = m.length;
    expect(n).toBeGreaterThanOrEqual(21);
    expect((n - 17) % 4).toBe(0);
    const finder = (r: number, c: number) => [0, 6].every((d) => m[r + d]![c]! && m[r]![c + d]!) && !m[r + 1]![c + 1]! && m[r + 3]![c + 3]!;
    expect(finder(0, 0) && finder(0, n - 7) && finder(n - 7, 0)).toBe(true);
    const path = qrPath(m, 4);
    expect(path.match(/M/g)?.length).toBe(m.flat().filter(Boolean).length);
    expect(path.startsWith('M4 4h1v1h-1z')).toBe(true);
  });
});
