import { describe, expect, it } from 'vitest';
import { PEER_POINTER_CHANNEL } from '@live-assist/protocol';
import { flush, setup } from './testing/p2p-harness.js';

const bytes = (n: number) => new Uint8Array([n]);

describe('the P2P data lane', () => {
  it("is in the specialist's offer and on the customer's answering pair, with the same id, unordered, no retransmits", async () => {
    const specialist = setup('specialist');
    specialist.channel.setPeer('customer', 'c-1');
    await specialist.transport.connect(specialist.local);
    await flush();
    const offerer = specialist.pcs.find((pc) => pc.localDescription?.type === 'offer')!;
    expect(offerer.channelsAtOffer).toEqual([1]);
    const customer = setup('customer');
    customer.channel.setPeer('specialist', 's-1');
    customer.channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await flush();
    for (const pc of [offerer, customer.pcs[0]!]) {
      expect(pc.channels.map((c) => [c.label, c.init])).toEqual([
        [PEER_POINTER_CHANNEL.label, { negotiated: true, id: PEER_POINTER_CHANNEL.id, ordered: false, maxRetransmits: 0 }],
      ]);
    }
  });

  it('carries only while open on a connected pair, delivers what arrives, and lets go of a closed pair', async () => {
    const { channel, pcs, transport, local } = setup('customer');
    channel.setPeer('specialist', 's-1');
    channel.signal('specialist', 's-1', { kind: 'offer', sdp: 'offer-1' });
    await transport.connect(local);
    await flush();
    const pc = pcs[0]!;
    const lane = pc.channels[0]!;
    const got: number[] = [];
    transport.datagrams.on((data) => got.push(new Uint8Array(data)[0]!));

    expect(transport.datagrams.send(bytes(1))).toBe(false);
    lane.open();
    expect(transport.datagrams.send(bytes(2))).toBe(false);
    pc.setConnection('connected');
    expect(transport.datagrams.send(bytes(3))).toBe(true);
    expect(lane.sent).toEqual([bytes(3)]);
    lane.deliver(bytes(4).buffer);
    lane.deliver('text is not ours');
    expect(got).toEqual([4]);

    // The specialist reloaded: a fresh offer makes a new pair, the old lane is closed and unheard.
    channel.setPeer('specialist', 's-2', true, 'page-2');
    channel.signal('specialist', 's-2', { kind: 'offer', sdp: 'offer-2' });
    await flush();
    expect(lane.readyState).toBe('closed');
    lane.deliver(bytes(5).buffer);
    expect(got).toEqual([4]);
    expect(transport.datagrams.send(bytes(6))).toBe(false);
    transport.leave();
  });
});
