/**
 * Log lines must never carry a credential: participant, agent and invite tokens travel in URL
 * paths, `?token=`, `sig=` and Authorization headers, and error messages sometimes quote them.
 * Known fields are censored by path (pino's `redact`); every finished line is also scrubbed as
 * text, which catches a token wherever it ends up.
 */

export const CENSORED = '[redacted]';

/** Fields censored wherever a log call's object has them (top level or one level down). */
export const REDACTED_FIELDS: readonly string[] = [
  'token',
  'participantToken',
  'specialistToken',
  'inviteToken',
  'agentToken',
  'observerToken',
  'authorization',
  'cookie',
  'password',
  'apiToken',
  'accessToken',
  'secret',
].flatMap((key) => [key, `*.${key}`]);

const SCRUBS: readonly [RegExp, string][] = [
  // Query parameters that carry a right: the socket's token, a signed upload link's signature.
  [/([?&](?:token|sig|signature|access_token)=)[^&\s"'#]+/gi, `$1${CENSORED}`],
  // Authorization header values quoted anywhere.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${CENSORED}`],
  // Paths whose segment is an invite token.
  [/(\/(?:join|invites)\/)[^/?#\s"']+/g, `$1${CENSORED}`],
  // Any free-standing 43-character base64url run: the shape of every token the relay issues
  // (32 bytes); session and upload ids are shorter, hashes are hex and longer.
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, CENSORED],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SCRUBS) out = out.replace(pattern, replacement);
  return out;
}

/** The path a request line logs: no query string (signatures, tokens), token segments censored. */
export function loggablePath(originalUrl: string): string {
  const path = originalUrl.split('?')[0] ?? '';
  return scrubSecrets(path.slice(0, 300));
}
