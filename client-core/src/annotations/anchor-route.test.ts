import { describe, expect, it } from 'vitest';
import { decodePeerAnchor, encodePeerPointer, type ClientToRelay, type MarkAnchor } from '@live-assist/protocol';
import { AnnotationModel } from './model.js';
import { receivePeerAnchors, sendAnchor } from './anchor-route.js';
import { receivePeerPointers } from './pointer-route.js';
import type { PeerDatagrams } from '../transport.js';

class TestLane implements PeerDatagrams {
  open = true;
  readonly carried: Uint8Array[] = [];
  private readonly handlers: Array<(data: ArrayBuffer) => void> = [];
  send(data: Uint8Array): boolean {
    if (!this.open) return false;
    this.carried.push(data);
    return true;
  }
  on(handler: (data: ArrayBuffer) => void) {
    this.handlers.push(handler);
    return () => undefined;
  }
  arrive(data: Uint8Array) {
    for (const h of this.handlers) h(data.slice().buffer);
  }
}

const update = (frameTime: number, state: MarkAnchor['state'] = 'tracking'): MarkAnchor => ({
  type: 'mark-anchor',
  markId: 'm1',
  frameTime,
  transform: { a: 1, b: 0, tx: 0.05 * frameTime, ty: 0 },
  state,
});

describe('anchor updates between the pages', () => {
  it('take the lane when open with a relay copy for observers and reconnects; the relay alone when closed; lost always in full', () => {
    const lane = new TestLane();
    const relayed: ClientToRelay[] = [];
    sendAnchor(update(1), lane, (f) => relayed.push(f));
    sendAnchor(update(2, 'lost'), lane, (f) => relayed.push(f));
    lane.open = false;
    sendAnchor(update(3), lane, (f) => relayed.push(f));
    expect(lane.carried.map((b) => decodePeerAnchor(b)?.frameTime)).toEqual([1, 2]);
    expect(relayed).toEqual([{ ...update(1), peer: true }, update(2, 'lost'), update(3)]);
  });

  it('share the lane with the pointer: each side reads only its own kind', () => {
    const lane = new TestLane();
    const model = new AnnotationModel(() => 0);
    receivePeerAnchors(lane, model);
    receivePeerPointers(lane, model, 'specialist');
    sendAnchor(update(2), lane, () => undefined);
    lane.arrive(lane.carried[0]!);
    lane.arrive(encodePeerPointer({ seq: 5, point: [0.25, 0.5] }));
    lane.arrive(new Uint8Array([2, 0, 1]));
    expect(model.anchor('m1')?.transform.tx).toBeCloseTo(0.1);
    expect(model.pointer('specialist')?.point[0]).toBeCloseTo(0.25, 4);
  });
});
