/**
 * The relay through Freshworks' request templates (config/requests.json): the only way this app
 * reaches the relay over HTTP. Templates are capped at 50 calls a minute for the whole account, so
 * each agent action is one call and nothing here repeats on a timer; live state comes over the
 * relay's WebSocket (live.js).
 */
export const TEMPLATES = {
  signIn: 'laSignIn',
  session: 'laSession',
  start: 'laStart',
  invite: 'laInvite',
  end: 'laEnd',
  note: 'laNote',
  live: 'laLive',
  console: 'laConsole',
};

export class RelayError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'RelayError';
    this.status = status;
    this.code = code;
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const statusOf = (failure) => (failure && typeof failure.status === 'number' ? failure.status : 0);
const errorBodyOf = (failure) => {
  const body = failure && typeof failure.response === 'string' ? parseJson(failure.response) : null;
  return (body && body.error) || {};
};

/** invokeTemplate rejects with `{status, response}`; the relay's errors are `{error: {code, message}}`. */
export function relayErrorOf(failure) {
  const status = statusOf(failure);
  const error = errorBodyOf(failure);
  const fallback = status === 0 ? 'network' : 'http';
  return new RelayError(status, error.code || fallback, error.message || `The relay answered ${status}`);
}

export function createRelay(client) {
  let agentToken = null;

  async function call(template, body) {
    let answer;
    try {
      answer = await client.request.invokeTemplate(template, { body: JSON.stringify(body) });
    } catch (failure) {
      throw relayErrorOf(failure);
    }
    const parsed = parseJson(answer.response);
    if (parsed === null) throw new RelayError(answer.status, 'bad-response', 'The relay sent an unexpected answer');
    return parsed;
  }

  const onSession = (template) => (sessionId) => call(template, { agentToken, sessionId });

  return {
    /** The agent and ticket as Freshworks reports them; the relay checks both with Freshdesk. */
    async signIn(claims) {
      const answer = await call(TEMPLATES.signIn, claims);
      agentToken = answer.agentToken;
      return answer;
    },
    async ticketSession(ticketId) {
      try {
        return await call(TEMPLATES.session, { agentToken, ticketId });
      } catch (error) {
        if (error.status === 404 && error.code === 'session-not-found') return null;
        throw error;
      }
    },
    start: (ticketId) => call(TEMPLATES.start, { agentToken, ticketId }),
    invite: onSession(TEMPLATES.invite),
    end: onSession(TEMPLATES.end),
    note: onSession(TEMPLATES.note),
    /** The token that opens the live feed of one session (an hour at most). */
    live: onSession(TEMPLATES.live),
    /** A link that opens the specialist console in a tab of its own: once, within two minutes. */
    consoleLink: onSession(TEMPLATES.console),
  };
}
