/**
 * Live state without request templates: the relay pushes the session's view over its WebSocket
 * (`/ws/agent`) whenever it changes, so the sidebar spends no template call on watching a call.
 * A WebSocket is not fetch or XHR, and Freshworks' proxy is not involved.
 */
export const LIVE_PATH = '/ws/agent';

/** The feed's address; `liveToken` opens it for one session only (never the agent token). */
export function liveUrl(relayUrl, liveToken) {
  const url = new URL(LIVE_PATH, relayUrl);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  url.searchParams.set('token', liveToken);
  return url.toString();
}

/** The frame the relay sends: `{type: 'session', session, note}`; anything else is ignored. */
export function parseFrame(data) {
  try {
    const frame = JSON.parse(String(data));
    return frame && frame.type === 'session' && frame.session ? frame : null;
  } catch {
    return null;
  }
}

const RETRY_MS = [1000, 2000, 5000, 10000, 30000];
const FINAL_CLOSES = [1000, 4403];

/**
 * Follows one session until it ends or `stop()`; reconnects after a drop, waiting longer each time.
 * `address` resolves the socket's URL (it may cost a template call for a fresh token); `open` makes
 * the socket (a parameter so tests need no browser).
 */
export function followSession({ address, open, onFrame, onOffline, schedule }) {
  let socket = null;
  let failures = 0;
  let stopped = false;

  function retry() {
    if (stopped) return;
    onOffline();
    const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
    failures += 1;
    schedule(connect, wait);
  }

  async function connect() {
    let url;
    try {
      url = await address();
    } catch {
      retry();
      return;
    }
    if (stopped) return;
    socket = open(url);
    socket.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (!frame) return;
      failures = 0;
      onFrame(frame);
      if (frame.session.status === 'ended' && frame.note && frame.note.state === 'done') stop();
    };
    socket.onclose = (event) => {
      // 1000: the session will not change again; 4403: this agent may no longer see it.
      if (!FINAL_CLOSES.includes(event && event.code)) retry();
    };
  }

  function stop() {
    stopped = true;
    if (socket) socket.close();
  }

  connect();
  return { stop };
}
