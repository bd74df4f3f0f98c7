import { describe, expect, it } from 'vitest';
import { decodePeerPointer, type ClientToRelay } from '@live-assist/protocol';
import { AnnotationModel } from './model.js';
import { LaneSwitch, PointerRoute, receivePeerPointers } from './pointer-route.js';
import type { PeerDatagrams } from '../transport.js';

/** A lane that is open or not, keeping what it carried. */
class TestLane implements PeerDatagrams {
  open = true;
  readonly carried: Uint8Array[] = [];
  private handler: ((data: ArrayBuffer) => void) | null = null;
  send(data: Uint8Array): boolean {
    if (!this.open) return false;
    this.carried.push(data);
    return true;
  }
  on(handler: (data: ArrayBuffer) => void) {
    this.handler = handler;
    return () => (this.handler = null);
  }
  arrive(data: Uint8Array) {
    this.handler?.(data.slice().buffer);
  }
}

function route(watched = false) {
  const relayed: ClientToRelay[] = [];
  const lane = new TestLane();
  const switched = new LaneSwitch();
  switched.use(lane);
  const r = new PointerRoute({ relay: (f) => relayed.push(f), lane: switched, mirrored: () => watched, now: () => 1000 });
  return { r, relayed, lane, switched };
}

describe('PointerRoute', () => {
  it('sends positions over the open lane only, and a hide over the relay as well', () => {
    const { r, relayed, lane } = route();
    r.send({ type: 'pointer', point: [1, 0] });
    r.send({ type: 'pointer', point: null });
    expect(lane.carried.map((b) => decodePeerPointer(b))).toEqual([
      { seq: 1001, point: [1, 0] },
      { seq: 1002, point: null },
    ]);
    expect(relayed).toEqual([{ type: 'pointer', point: null, seq: 1002 }]);
  });

  it('takes the relay while the lane is closed (Twilio, before the pair is up), numbering on', () => {
    const { r, relayed, lane } = route();
    lane.open = false;
    r.send({ type: 'pointer', point: [0.1, 0.2] });
    lane.open = true;
    r.send({ type: 'pointer', point: [0.3, 0.4] });
    expect(relayed).toEqual([{ type: 'pointer', point: [0.1, 0.2], seq: 1001 }]);
    expect(lane.carried.map((b) => decodePeerPointer(b)?.seq)).toEqual([1002]);
  });

  it('copies positions to the relay for observers, marked as already delivered', () => {
    const { r, relayed } = route(true);
    r.send({ type: 'pointer', point: [0.5, 0.5] });
    expect(relayed).toEqual([{ type: 'pointer', point: [0.5, 0.5], seq: 1001, peer: true }]);
  });

  it('leaves every other frame to the relay', () => {
    const { r, relayed, lane } = route();
    r.send({ type: 'annotation-finish', id: 'm1' });
    expect(relayed).toEqual([{ type: 'annotation-finish', id: 'm1' }]);
    expect(lane.carried).toEqual([]);
  });

  it("shows the other page's pointer from the lane, drops garbage, and follows the lane switch", () => {
    const { switched, lane } = route();
    const model = new AnnotationModel(() => 0);
    receivePeerPointers(switched, model, 'specialist');
    const sender = route();
    sender.r.send({ type: 'pointer', point: [0.75, 0.5] });
    lane.arrive(sender.lane.carried[0]!);
    expect(model.pointer('specialist')?.point[0]).toBeCloseTo(0.75, 4);
    lane.arrive(new Uint8Array([1, 2, 3]));
    expect(model.pointer('specialist')?.point[0]).toBeCloseTo(0.75, 4);
    // Unplugged (the call left): nothing arrives any more.
    switched.use(null);
    sender.r.send({ type: 'pointer', point: null });
    lane.arrive(sender.lane.carried[1]!);
    expect(model.pointer('specialist')).not.toBeNull();
    expect(switched.send(new Uint8Array(9))).toBe(false);
  });
});
