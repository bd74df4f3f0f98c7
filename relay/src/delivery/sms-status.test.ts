import { describe, expect, it } from 'vitest';
import { SmsStatusStore } from './sms-status.js';

const SID = `SM${'a'.repeat(32)}`;

describe('SmsStatusStore', () => {
  it('keeps the furthest status: retries and late callbacks never move an SMS backwards', () => {
    const store = new SmsStatusStore();
    store.track(SID, 'sess_1', '+44 ••• ••• 123', '2030-01-01T00:00:00.000Z');
    expect(store.apply(SID, 'sent', null)).toBe(true);
    expect(store.apply(SID, 'sent', null)).toBe(false);
    expect(store.apply(SID, 'delivered', null)).toBe(true);
    expect(store.apply(SID, 'sending', null)).toBe(false);
    expect(store.apply(SID, 'undelivered', 30003)).toBe(false);
    // WhatsApp's `read` comes after delivered and still reads as delivered.
    expect(store.apply(SID, 'read', null)).toBe(true);
    expect(store.viewOf('sess_1').sms).toMatchObject({ state: 'delivered', errorCode: null });
  });

  it('reports undelivered as failed with its code, ignores unknown messages and statuses', () => {
    const store = new SmsStatusStore();
    store.track(SID, 'sess_1', '+44 ••• ••• 123', '2030-01-01T00:00:00.000Z');
    expect(store.apply(`SM${'b'.repeat(32)}`, 'delivered', null)).toBe(false);
    expect(store.apply(SID, 'canceled', null)).toBe(false);
    expect(store.apply(SID, 'undelivered', 30006)).toBe(true);
    expect(store.viewOf('sess_1').sms).toMatchObject({ state: 'failed', errorCode: 30006 });
    expect(store.viewOf('sess_2').sms).toBeNull();
  });

  it('a resend is what the session shows', () => {
    const store = new SmsStatusStore();
    const second = `SM${'c'.repeat(32)}`;
    store.track(SID, 'sess_1', '+44 ••• ••• 123', '2030-01-01T00:00:00.000Z');
    store.apply(SID, 'failed', 30003);
    store.track(second, 'sess_1', '+44 ••• ••• 123', '2030-01-01T00:05:00.000Z');
    expect(store.viewOf('sess_1').sms).toMatchObject({ state: 'sent', sentAt: '2030-01-01T00:05:00.000Z', errorCode: null });
  });
});
