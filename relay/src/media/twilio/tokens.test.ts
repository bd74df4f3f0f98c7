import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { clampTokenTtl, mintVideoToken } from './tokens.js';

const config = {
  accountSid: `AC${'1'.repeat(32)}`,
  apiKeySid: `SK${'2'.repeat(32)}`,
  apiKeySecret: 'the-api-key-secret-used-to-sign',
};
const key = new TextEncoder().encode(config.apiKeySecret);

describe('mintVideoToken', () => {
  it('mints a Twilio access token scoped to one room and identity', async () => {
    const before = Math.floor(Date.now() / 1000);
    const minted = mintVideoToken({ config, identity: 'customer', roomName: 'live-assist-abcdefgh12', ttlSeconds: 900 });

    const header = decodeProtectedHeader(minted.token);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });

    const { payload } = await jwtVerify(minted.token, key, { issuer: config.apiKeySid, subject: config.accountSid });
    expect(payload.grants).toEqual({ identity: 'customer', video: { room: 'live-assist-abcdefgh12' } });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.exp).toBeGreaterThanOrEqual(before + 900);
    expect(payload.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 900);
    expect(minted.expiresAt.getTime()).toBe(payload.exp! * 1000);
    expect(minted.ttlSeconds).toBe(900);
  });

  it('is rejected when verified with another secret', async () => {
    const minted = mintVideoToken({ config, identity: 'specialist', roomName: 'r1', ttlSeconds: 120 });
    await expect(jwtVerify(minted.token, new TextEncoder().encode('some-other-secret'))).rejects.toThrow();
  });

  it('never lives shorter than a minute or longer than four hours', async () => {
    const short = mintVideoToken({ config, identity: 'customer', roomName: 'r1', ttlSeconds: 5 });
    const long = mintVideoToken({ config, identity: 'customer', roomName: 'r1', ttlSeconds: 48 * 3600 });
    const shortExp = (await jwtVerify(short.token, key)).payload;
    const longExp = (await jwtVerify(long.token, key)).payload;
    expect(shortExp.exp! - shortExp.iat!).toBe(60);
    expect(longExp.exp! - longExp.iat!).toBe(4 * 3600);
  });

  it('refuses empty identities and room names', () => {
    expect(() => mintVideoToken({ config, identity: '', roomName: 'r1', ttlSeconds: 60 })).toThrow(/identity/);
    expect(() => mintVideoToken({ config, identity: 'customer', roomName: '', ttlSeconds: 60 })).toThrow(/room name/);
  });
});

describe('clampTokenTtl', () => {
  it('clamps and floors', () => {
    expect(clampTokenTtl(59.9)).toBe(60);
    expect(clampTokenTtl(600.7)).toBe(600);
    expect(clampTokenTtl(Number.NaN)).toBe(60);
    expect(clampTokenTtl(1e9)).toBe(14_400);
  });
});
