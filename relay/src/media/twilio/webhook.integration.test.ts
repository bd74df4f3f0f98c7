import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { createTwilioWebhookHandlers, TWILIO_STATUS_CALLBACK_PATH, type TwilioRoomEvent } from './webhook.js';

const authToken = 'twilio-auth-token-for-tests';
const publicBase = 'https://assist.example.com';
const publicUrl = `${publicBase}${TWILIO_STATUS_CALLBACK_PATH}`;

const participantConnected = {
  AccountSid: `AC${'e'.repeat(32)}`,
  RoomSid: `RM${'f'.repeat(32)}`,
  RoomName: 'live-assist-sess_0123456789',
  RoomStatus: 'in-progress',
  RoomType: 'group',
  StatusCallbackEvent: 'participant-connected',
  Timestamp: '2026-11-25T12:00:00.000Z',
  ParticipantSid: `PA${'1'.repeat(32)}`,
  ParticipantIdentity: 'customer',
  ParticipantStatus: 'connected',
  SequenceNumber: '2',
};

let server: Server;
let localUrl: string;
let events: TwilioRoomEvent[];

beforeEach(async () => {
  events = [];
  const app = express();
  // Like a deployment behind a proxy: even when express trusts X-Forwarded-*, the webhook must not.
  app.set('trust proxy', true);
  app.post(
    TWILIO_STATUS_CALLBACK_PATH,
    ...createTwilioWebhookHandlers({
      authToken,
      webhookBaseUrl: `${publicBase}/`,
      onEvent: (event) => {
        events.push(event);
      },
      logger: silentLogger,
    }),
  );
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${TWILIO_STATUS_CALLBACK_PATH}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function post(params: Record<string, string>, signature: string | null, headers: Record<string, string> = {}) {
  return fetch(localUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'X-Twilio-Signature': signature }),
      ...headers,
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe('Twilio status callback webhook', () => {
  it('accepts a correctly signed callback and hands the parsed event on', async () => {
    const signature = twilio.getExpectedTwilioSignature(authToken, publicUrl, participantConnected);
    const res = await post(participantConnected, signature);

    expect(res.status).toBe(204);
    expect(events).toEqual([
      {
        type: 'participant-connected',
        roomSid: participantConnected.RoomSid,
        roomName: participantConnected.RoomName,
        sessionId: 'sess_0123456789',
        participantIdentity: 'customer',
        participantSid: participantConnected.ParticipantSid,
        timestamp: new Date('2026-11-25T12:00:00.000Z'),
        sequenceNumber: 2,
        durationSeconds: null,
      },
    ]);
  });

  it('refuses a wrong signature with 403 and changes nothing', async () => {
    const forged = twilio.getExpectedTwilioSignature('not-the-auth-token', publicUrl, participantConnected);
    expect((await post(participantConnected, forged)).status).toBe(403);
    expect((await post(participantConnected, null)).status).toBe(403);

    // A valid signature over different parameters (tampered body) is refused too.
    const signature = twilio.getExpectedTwilioSignature(authToken, publicUrl, participantConnected);
    const tampered = { ...participantConnected, ParticipantIdentity: 'specialist' };
    expect((await post(tampered, signature)).status).toBe(403);
    expect(events).toEqual([]);
  });

  it('validates against the configured public URL, whatever Host and X-Forwarded-* say', async () => {
    const spoofed = { 'X-Forwarded-Proto': 'http', 'X-Forwarded-Host': 'evil.example.org', Host: 'evil.example.org' };
    const signature = twilio.getExpectedTwilioSignature(authToken, publicUrl, participantConnected);
    expect((await post(participantConnected, signature, spoofed)).status).toBe(204);

    // Signed for the URL the headers claim (or the loopback URL actually hit): refused.
    const forHeaders = twilio.getExpectedTwilioSignature(
      authToken,
      `http://evil.example.org${TWILIO_STATUS_CALLBACK_PATH}`,
      participantConnected,
    );
    expect((await post(participantConnected, forHeaders, spoofed)).status).toBe(403);
    const forLoopback = twilio.getExpectedTwilioSignature(authToken, localUrl, participantConnected);
    expect((await post(participantConnected, forLoopback)).status).toBe(403);
    expect(events).toHaveLength(1);
  });

  it('includes the query string in what is verified', async () => {
    const withQuery = `${localUrl}?attempt=1`;
    const signature = twilio.getExpectedTwilioSignature(authToken, `${publicUrl}?attempt=1`, participantConnected);
    const res = await fetch(withQuery, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(participantConnected).toString(),
    });
    expect(res.status).toBe(204);
    expect(events).toHaveLength(1);
  });

  it('parses room-ended with its duration', async () => {
    const ended = {
      AccountSid: participantConnected.AccountSid,
      RoomSid: participantConnected.RoomSid,
      RoomName: participantConnected.RoomName,
      RoomStatus: 'completed',
      StatusCallbackEvent: 'room-ended',
      Timestamp: '2026-11-25T12:10:00.000Z',
      RoomDuration: '600',
    };
    const res = await post(ended, twilio.getExpectedTwilioSignature(authToken, publicUrl, ended));
    expect(res.status).toBe(204);
    expect(events[0]).toMatchObject({ type: 'room-ended', sessionId: 'sess_0123456789', durationSeconds: 600 });
  });

  it('acknowledges track events without passing them on, and rejects signed garbage with 400', async () => {
    const trackAdded = { ...participantConnected, StatusCallbackEvent: 'track-added', TrackKind: 'video' };
    expect((await post(trackAdded, twilio.getExpectedTwilioSignature(authToken, publicUrl, trackAdded))).status).toBe(204);

    const garbage = { StatusCallbackEvent: 'room-ended', RoomSid: 'nope' };
    expect((await post(garbage, twilio.getExpectedTwilioSignature(authToken, publicUrl, garbage))).status).toBe(400);
    expect(events).toEqual([]);
  });
});
