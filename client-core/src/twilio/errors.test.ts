import { describe, expect, it } from 'vitest';
import { describeTwilioError, isNormalEnd, isRecoverable, toTwilioCallError, TwilioCallError, TWILIO_ERROR_MESSAGES } from './errors.js';

describe('describeTwilioError', () => {
  it('maps the codes a user can run into to stable keys', () => {
    expect(describeTwilioError(20104)).toBe('twilio.token-expired');
    expect(describeTwilioError(53105)).toBe('twilio.room-full');
    expect(describeTwilioError(53118)).toBe('twilio.room-completed');
    expect(describeTwilioError(53205)).toBe('twilio.duplicate-identity');
    expect(describeTwilioError(20107)).toBe('twilio.token-invalid');
    expect(describeTwilioError(53001)).toBe('twilio.signaling');
    expect(describeTwilioError(53405)).toBe('twilio.media');
    // Past the room's MaxParticipantDuration: its own words, not "try again".
    expect(describeTwilioError(53216)).toBe('twilio.max-duration');
  });

  it('falls back to a generic key for anything else', () => {
    expect(describeTwilioError(53999)).toBe('twilio.generic');
    expect(describeTwilioError(null)).toBe('twilio.generic');
    expect(describeTwilioError(undefined)).toBe('twilio.generic');
  });
});

describe('TwilioCallError', () => {
  it('carries code, key and a readable message instead of Twilio’s text', () => {
    const sdkError = Object.assign(new Error('Room contains too many Participants'), { code: 53105 });
    const error = toTwilioCallError(sdkError);
    expect(error).toBeInstanceOf(TwilioCallError);
    expect(error.code).toBe(53105);
    expect(error.key).toBe('twilio.room-full');
    expect(error.message).toBe(TWILIO_ERROR_MESSAGES['twilio.room-full']);
    expect(error.cause).toBe(sdkError);
    expect(toTwilioCallError(error)).toBe(error);
  });

  it('treats a failed token request (no Twilio code) as generic', () => {
    const error = toTwilioCallError(new TypeError('Failed to fetch'));
    expect(error.code).toBeNull();
    expect(error.key).toBe('twilio.generic');
  });

  it('knows which drops a rejoin can fix', () => {
    expect(isRecoverable(53001)).toBe(true);
    expect(isRecoverable(20104)).toBe(true);
    expect(isRecoverable(53405)).toBe(true);
    // Twilio gave up reconnecting (long outage), TURN/config fetch failed, the room timed out.
    for (const code of [53204, 53500, 53501, 53103, 53106]) expect(isRecoverable(code), String(code)).toBe(true);
    expect(isRecoverable(53216)).toBe(false);
    expect(isRecoverable(53105)).toBe(false);
    expect(isRecoverable(53118)).toBe(false);
    expect(isRecoverable(null)).toBe(false);
  });

  it('knows which disconnects are a normal end', () => {
    expect(isNormalEnd(53118)).toBe(true);
    expect(isNormalEnd(53205)).toBe(true);
    expect(isNormalEnd(53001)).toBe(false);
    expect(isNormalEnd(null)).toBe(false);
  });
});
