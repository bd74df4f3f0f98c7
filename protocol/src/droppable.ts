/**
 * Frames the relay may drop when it cannot keep up (a socket that does not read what it is sent
 * fast enough, a Redis between relays that lags): those a newer frame of the same kind replaces, so
 * a client never needs each one. A live pointer position (the next one moves it on) and a still's
 * upload progress (the next figure, then `still-ready` or `still-failed`, replaces it), and an
 * anchored mark's `tracking` update (the next one, up to 15 a second, moves it on; a `lost` one
 * is kept: dropped, the mark would stay solid where the object was).
 *
 * Never dropped, whatever the load: what is not superseded, or whose loss would stick. A hidden
 * pointer (`point: null`: dropped, the last position would hang on the other screen), chat, the
 * marks (an `annotation-extend` of a freehand stroke adds points no later frame repeats), freeze
 * state, signaling (offer, answer, ICE), participants, session end, errors, pongs.
 *
 * Typed structurally, so the relay can ask it of a frame it only JSON-parsed (a proxied socket's
 * frame it forwards unread, docs/deploy.md "Several relays").
 */
export function isDroppable(frame: { readonly type: unknown; readonly point?: unknown; readonly state?: unknown }): boolean {
  switch (frame.type) {
    case 'pointer':
      return frame.point !== null && frame.point !== undefined;
    case 'still-progress':
      return true;
    case 'mark-anchor':
      return frame.state === 'tracking';
    default:
      return false;
  }
}
