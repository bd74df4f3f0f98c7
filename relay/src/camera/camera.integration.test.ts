import { describe, expect, it } from 'vitest';
import { ObserveResponseSchema, type CameraStateFrame } from '@live-assist/protocol';
import { joinedCustomer, type FakeHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

const THOMAS = '44';

const REAR_WITH_LIGHT: CameraStateFrame = {
  type: 'camera-state',
  capabilities: { torch: true, zoom: { min: 1, max: 8, step: 0.1 }, focus: true, switchCamera: true },
  settings: { torch: false, zoom: 1, facing: 'environment' },
};

describe('camera control between the console and the phone', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  it("the console learns what the phone's camera can do, asks for the light, and hears the answer and the new state", async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent);
    const desk = await h.connect(view.specialistToken);
    // Before the phone reports, the console shows no controls.
    expect(await desk.next('camera-state')).toMatchObject({ capabilities: null, settings: null });

    const phone = await h.connect((await joinedCustomer(h, view)).participantToken);
    phone.send(REAR_WITH_LIGHT);
    expect(await desk.next('camera-state')).toEqual(REAR_WITH_LIGHT);

    desk.send({ type: 'camera-request', requestId: 1, change: { kind: 'torch', on: true } });
    expect(await phone.next('camera-request')).toEqual({ type: 'camera-request', requestId: 1, change: { kind: 'torch', on: true } });
    phone.send({ type: 'camera-applied', requestId: 1, ok: true });
    phone.send({ ...REAR_WITH_LIGHT, settings: { torch: true, zoom: 1, facing: 'environment' } });
    expect(await desk.next('camera-applied')).toEqual({ type: 'camera-applied', requestId: 1, ok: true });
    expect((await desk.next('camera-state')).settings?.torch).toBe(true);

    // Asked again (controls made after the join), the console hears the same.
    desk.send({ type: 'camera-sync' });
    expect((await desk.next('camera-state')).settings?.torch).toBe(true);

    // A console that reloads starts from the phone's last report.
    desk.close();
    const again = await h.connect(view.specialistToken);
    expect((await again.next('camera-state')).settings).toEqual({ torch: true, zoom: 1, facing: 'environment' });

    // The phone goes: its controls go with it.
    phone.close();
    expect(await again.next('camera-state')).toMatchObject({ capabilities: null });
  });

  it('only the phone reports its camera and only the specialist asks; an observer sees the state but may not ask; bad values are refused', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent);
    const desk = await h.connect(view.specialistToken);
    await desk.next('camera-state');
    const phone = await h.connect((await joinedCustomer(h, view)).participantToken);
    phone.send(REAR_WITH_LIGHT);
    await desk.next('camera-state');

    desk.send(REAR_WITH_LIGHT);
    expect(await desk.next('error')).toMatchObject({ code: 'forbidden' });
    phone.send({ type: 'camera-request', requestId: 2, change: { kind: 'zoom', level: 3 } });
    expect(await phone.next('error')).toMatchObject({ code: 'forbidden' });
    desk.send({ type: 'camera-request', requestId: 3, change: { kind: 'focus', x: 1.5, y: 0.2 } });
    expect(await desk.next('error')).toMatchObject({ code: 'bad-frame' });
    desk.send({ type: 'camera-request', requestId: 4, change: { kind: 'flash', on: true } });
    expect(await desk.next('error')).toMatchObject({ code: 'bad-frame' });

    const thomas = await h.agentToken(THOMAS);
    const res = await h.api(`/api/sessions/${view.sessionId}/observe`, { method: 'POST', bearer: thomas });
    const watcher = await h.connect(ObserveResponseSchema.parse(await res.json()).observerToken);
    expect(await watcher.next('camera-state')).toEqual(REAR_WITH_LIGHT);
    watcher.send({ type: 'camera-sync' });
    expect(await watcher.next('camera-state')).toEqual(REAR_WITH_LIGHT);
    watcher.send({ type: 'camera-request', requestId: 5, change: { kind: 'torch', on: true } });
    expect(await watcher.next('error')).toMatchObject({ code: 'forbidden' });

    // Nothing the others were refused reached the phone: the next request it sees is the specialist's.
    desk.send({ type: 'camera-request', requestId: 6, change: { kind: 'facing', facing: 'user' } });
    expect((await phone.next('camera-request')).requestId).toBe(6);
  });

  it('a request while the phone is away is answered at once: the customer is not connected', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent);
    const desk = await h.connect(view.specialistToken);
    desk.send({ type: 'camera-request', requestId: 1, change: { kind: 'torch', on: true } });
    expect(await desk.next('error')).toMatchObject({ code: 'no-peer' });
  });
});
