/**
 * Which way an anchor update goes (docs/contract.md "Anchored marks"): straight to the customer's
 * page over the call's data lane when it is open, and always over the relay too, which keeps the
 * newest per mark for a page that reconnects and hands it to observers. The lane's copy usually
 * arrives first; the model keeps whichever is newer by frame, so the second copy changes nothing.
 */
import { AnchorState, decodePeerAnchor, encodePeerAnchor, type ClientToRelay, type MarkAnchor } from '@live-assist/protocol';
import type { PeerDatagrams } from '../transport.js';
import type { AnnotationModel } from './model.js';

export function sendAnchor(update: MarkAnchor, lane: PeerDatagrams, relay: (frame: ClientToRelay) => void): void {
  const direct = lane.send(encodePeerAnchor(update));
  // A lost object goes over the relay in full: the lane may drop it, and the mark must not stay solid.
  if (direct && update.state === AnchorState.tracking) relay({ ...update, peer: true });
  else relay(update);
}

/** Feeds the console's anchor updates from the lane into the model; anything malformed is dropped. */
export function receivePeerAnchors(lane: PeerDatagrams, model: AnnotationModel): () => void {
  return lane.on((data) => {
    const update = decodePeerAnchor(data);
    if (update) model.receiveAnchor(update);
  });
}
