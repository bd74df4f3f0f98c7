import { describe, expect, it } from 'vitest';
import { cssLength, parseSdkMessage } from './messages.js';
import { fillSettings } from './request.js';

describe('parseSdkMessage', () => {
  it('reads the SDK handshake and RPC messages from JSON strings', () => {
    const handshake = parseSdkMessage(
      JSON.stringify({ key: 'iframe.handshake', message: { version: '2.0.9' }, appGuid: 'g1', instanceGuid: 'g1' }),
    );
    expect(handshake).toEqual({ key: 'iframe.handshake', message: { version: '2.0.9' }, appGuid: 'g1', instanceGuid: 'g1' });
    const get = parseSdkMessage(JSON.stringify({ id: 3, request: 'get', params: ['ticket.id'], appGuid: 'g1', instanceGuid: 'g1' }));
    expect(get).toMatchObject({ id: 3, request: 'get', params: ['ticket.id'] });
  });

  it('ignores garbage and messages of other libraries', () => {
    expect(parseSdkMessage('{not json')).toBeUndefined();
    expect(parseSdkMessage({ type: 'webpackOk' })).toBeUndefined();
    expect(parseSdkMessage(JSON.stringify({ id: 1, request: 'delete', params: [], appGuid: 'g' }))).toBeUndefined();
    expect(parseSdkMessage(JSON.stringify({ key: 'iframe.handshake' }))).toBeUndefined();
  });
});

describe('fillSettings', () => {
  it('fills {{setting.x}} placeholders and refuses unknown settings', () => {
    expect(fillSettings('{{setting.relay_url}}/api/sessions', { relay_url: 'http://localhost:8080' })).toBe(
      'http://localhost:8080/api/sessions',
    );
    expect(() => fillSettings('Bearer {{setting.secret}}', {})).toThrow('Unknown setting "secret"');
  });
});

describe('cssLength', () => {
  it('treats bare numbers as pixels like ZAF resize', () => {
    expect(cssLength(300)).toBe('300px');
    expect(cssLength('300')).toBe('300px');
    expect(cssLength('80%')).toBe('80%');
    expect(cssLength(undefined)).toBeUndefined();
  });
});
