import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { inviteTokenOf, joinedCustomer, type Harness } from '../testing/harness.js';
import type { JourneyRepository } from './store.js';

describe.each(ENGINES)('customer journey records (%s): consent, location, customer ends the call', (engine) => {
  let relay: EngineHarness;
  let h: Harness;
  let agent: string;
  // Read through a second connection to the relay's database, as another relay would.
  let journey: JourneyRepository;
  beforeAll(async () => {
    relay = await startHarnessOn(engine);
    h = relay.h;
    agent = await h.agentToken();
    journey = relay.reader.journey;
  });
  afterAll(() => relay?.close());

  it('stores nothing about the customer before consent, then session, policy version, locale, the consent text, time and user agent', async () => {
    const view = await h.createSession(agent);
    const opened = await h.api(`/api/invites/${inviteTokenOf(view.inviteUrl)}`, {
      headers: { 'User-Agent': 'PhoneBrowser/1.0' },
    });
    expect(opened.status).toBe(200);
    expect(await journey.consents(view.sessionId)).toEqual([]);
    const before = Date.now();
    const res = await h.api(`/api/invites/${inviteTokenOf(view.inviteUrl)}/join`, {
      method: 'POST',
      headers: { 'User-Agent': 'PhoneBrowser/1.0' },
      json: {
        acceptedPolicy: true,
        policyVersion: '2024-01',
        locale: 'bg',
        consentText: 'Приемам политиката за поверителност (версия 2024-01)',
      },
    });
    expect(res.status).toBe(200);
    const [consent, ...rest] = await journey.consents(view.sessionId);
    expect(rest).toEqual([]);
    expect(consent).toMatchObject({
      sessionId: view.sessionId,
      policyVersion: '2024-01',
      locale: 'bg',
      consentText: 'Приемам политиката за поверителност (версия 2024-01)',
      userAgent: 'PhoneBrowser/1.0',
    });
    expect(consent!.consentedAt).toBeGreaterThanOrEqual(before);
  });

  it('persists a shared location and shows it to the specialist, live and on a later join', async () => {
    const view = await h.createSession(agent);
    const specialist = await h.connect(view.specialistToken);
    expect((await specialist.next('customer-location')).location).toBeNull();
    const customer = await h.connect((await joinedCustomer(h, view)).participantToken);
    customer.send({
      type: 'location',
      location: { outcome: 'shared', latitude: 42.6977, longitude: 23.3219, accuracy: 12.5, capturedAt: 1_700_000_000_000 },
    });
    const live = await specialist.next('customer-location');
    expect(live.location).toMatchObject({
      outcome: 'shared',
      latitude: 42.6977,
      longitude: 23.3219,
      accuracy: 12.5,
      capturedAt: new Date(1_700_000_000_000).toISOString(),
    });
    expect(await journey.findLocation(view.sessionId)).toMatchObject({ outcome: 'shared', latitude: 42.6977 });

    specialist.close();
    const again = await h.connect(view.specialistToken);
    expect((await again.next('customer-location')).location).toMatchObject({ outcome: 'shared', longitude: 23.3219 });
    again.close();
    customer.close();
  });

  it('records a declined location; refuses a location from the specialist and out-of-range coordinates', async () => {
    const view = await h.createSession(agent);
    const specialist = await h.connect(view.specialistToken);
    await specialist.next('customer-location');
    specialist.send({ type: 'location', location: { outcome: 'declined' } });
    expect((await specialist.next('error')).code).toBe('forbidden');
    const customer = await h.connect((await joinedCustomer(h, view)).participantToken);
    customer.send({
      type: 'location',
      location: { outcome: 'shared', latitude: 91, longitude: 0, accuracy: 1, capturedAt: 1 },
    });
    expect((await customer.next('error')).code).toBe('bad-frame');
    customer.send({ type: 'location', location: { outcome: 'declined' } });
    expect((await specialist.next('customer-location')).location).toMatchObject({ outcome: 'declined' });
    expect(await journey.findLocation(view.sessionId)).toMatchObject({ outcome: 'declined' });
    specialist.close();
    customer.close();
  });

  it('refuses a capture time past the last instant a date can hold, and keeps showing the last answer', async () => {
    const view = await h.createSession(agent);
    const specialist = await h.connect(view.specialistToken);
    await specialist.next('customer-location');
    const customer = await h.connect((await joinedCustomer(h, view)).participantToken);
    customer.send({ type: 'location', location: { outcome: 'declined' } });
    expect((await specialist.next('customer-location')).location).toMatchObject({ outcome: 'declined' });
    // A safe integer, but past 8.64e15 ms no Date exists: stored, it would break every later view and the note.
    customer.send({
      type: 'location',
      location: { outcome: 'shared', latitude: 1, longitude: 2, accuracy: 3, capturedAt: 9_000_000_000_000_000 },
    });
    expect((await customer.next('error')).code).toBe('bad-frame');
    expect(await journey.findLocation(view.sessionId)).toMatchObject({ outcome: 'declined' });
    specialist.close();
    const again = await h.connect(view.specialistToken);
    expect((await again.next('customer-location')).location).toMatchObject({ outcome: 'declined' });
    again.close();
    customer.close();
  });

  it('the customer ending the call ends the session for both sides', async () => {
    const view = await h.createSession(agent);
    const specialist = await h.connect(view.specialistToken);
    const { participantToken } = await joinedCustomer(h, view);
    const customer = await h.connect(participantToken);
    const endPath = `/api/invites/${inviteTokenOf(view.inviteUrl)}/end`;

    expect((await h.api(endPath, { method: 'POST' })).status).toBe(401);
    expect((await h.api(endPath, { method: 'POST', headers: { Authorization: `Bearer ${'x'.repeat(43)}` } })).status).toBe(401);
    expect((await h.api(endPath, { method: 'POST', headers: { Authorization: `Bearer ${view.specialistToken}` } })).status).toBe(401);

    const res = await h.api(endPath, { method: 'POST', headers: { Authorization: `Bearer ${participantToken}` } });
    expect(res.status).toBe(204);
    expect((await specialist.next('session-ended')).reason).toBe('ended-by-customer');
    const toCustomer = await customer.next('session-ended');
    expect(toCustomer).toMatchObject({ reason: 'ended-by-customer', redirectUrl: 'https://www.wilo.com' });
    const after = await h.api(`/api/sessions/${view.sessionId}`, { bearer: agent });
    expect(await after.json()).toMatchObject({ status: 'ended' });
    expect((await fetch(view.inviteUrl)).status).toBe(410);
    // A retry after a lost answer is not an error.
    expect((await h.api(endPath, { method: 'POST', headers: { Authorization: `Bearer ${participantToken}` } })).status).toBe(204);
  });
});
