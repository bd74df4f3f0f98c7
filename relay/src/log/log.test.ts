import { describe, expect, it } from 'vitest';
import { withLogContext } from './context.js';
import { jsonLogger } from './json.js';
import { prettyLogger } from './pretty.js';
import { loggablePath, scrubSecrets } from './redact.js';

/** A token as the relay issues them: 43 base64url characters. */
const TOKEN = 'Ab3_dE6-gH9iJ2kL5mN8oP1qR4sT7uV0wX3yZ6aB9cD';

function capture() {
  const lines: string[] = [];
  const log = jsonLogger({ write: (line) => lines.push(line) });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, parsed };
}

describe('jsonLogger', () => {
  it('writes one JSON object per line with level, time, message, context and fields', () => {
    const { log, lines, parsed } = capture();
    withLogContext({ requestId: 'req-1' }, () =>
      withLogContext({ sessionId: 's-22' }, () => log.info('socket opened', { role: 'customer' }, 'extra', 3)),
    );
    log.warn('no context');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const [first, second] = parsed();
    expect(first).toMatchObject({ level: 'info', msg: 'socket opened', requestId: 'req-1', sessionId: 's-22', role: 'customer' });
    expect(first?.details).toEqual(['extra', 3]);
    expect(Date.parse(String(first?.time))).not.toBeNaN();
    expect(second).toMatchObject({ level: 'warn', msg: 'no context' });
    expect(second).not.toHaveProperty('sessionId');
  });

  it('keeps an error with its cause under err', () => {
    const { log, parsed } = capture();
    log.error('write failed', new Error('outer', { cause: new Error('inner reason') }));
    const err = parsed()[0]?.err as { message: string; stack: string };
    expect(err.message).toContain('outer');
    expect(JSON.stringify(err)).toContain('inner reason');
  });

  it('censors credential fields and scrubs tokens from any text, messages and errors included', () => {
    const { log, lines } = capture();
    log.info('fields', { token: 'plain-secret', headers: { authorization: 'Basic c2VjcmV0' }, participantToken: 'p-secret' });
    log.info(`GET /ws?token=${TOKEN}&x=1 and /join/${TOKEN}`);
    log.warn('upstream said', new Error(`refused Bearer ${TOKEN} at /api/uploads/u1/original?exp=1&sig=c2lnbmF0dXJl`));
    const text = lines.join('');
    for (const secret of ['plain-secret', 'c2VjcmV0', 'p-secret', TOKEN, 'c2lnbmF0dXJl']) expect(text).not.toContain(secret);
    expect(text).toContain('/join/[redacted]');
    expect(text).toContain('token=[redacted]&x=1');
  });
});

describe('scrubbing', () => {
  it('leaves ids that are not tokens alone', () => {
    const sessionId = 'kq3Vd9sLx2bN4mT7rW1yZg';
    const hash = 'a'.repeat(64);
    const uuid = '4f6c1d2e-8a9b-4c3d-9e8f-7a6b5c4d3e2f';
    expect(scrubSecrets(`${sessionId} ${hash} ${uuid}`)).toBe(`${sessionId} ${hash} ${uuid}`);
  });

  it('logs paths without their query and without invite tokens', () => {
    expect(loggablePath(`/api/uploads/u1/preview?exp=99&sig=${TOKEN}`)).toBe('/api/uploads/u1/preview');
    expect(loggablePath(`/api/invites/${TOKEN}/join`)).toBe('/api/invites/[redacted]/join');
    expect(loggablePath('/api/sessions/s1/end')).toBe('/api/sessions/s1/end');
  });
});

describe('prettyLogger', () => {
  it('writes plain lines, the session first, scrubbed, honouring the level', () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = prettyLogger({ write: (l) => out.push(l) }, { write: (l) => err.push(l) }, 'info');
    withLogContext({ sessionId: 's-9' }, () => log.info(`opened /join/${TOKEN}`, { role: 'customer' }));
    log.error('boom');
    expect(out).toEqual([`[s-9] opened /join/[redacted] { role: 'customer' }\n`]);
    expect(err).toEqual(['boom\n']);
    const quiet: string[] = [];
    prettyLogger({ write: (l) => quiet.push(l) }, { write: (l) => quiet.push(l) }, 'warn').info('not shown');
    expect(quiet).toEqual([]);
  });
});
