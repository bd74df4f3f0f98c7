import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { sessionIdFromRoomName } from './rooms.js';

/** Where Twilio posts room status callbacks (relative to the public base URL). */
export const TWILIO_STATUS_CALLBACK_PATH = '/api/media/twilio/status';

export function statusCallbackUrl(webhookBaseUrl: string): string {
  return `${webhookBaseUrl.replace(/\/+$/, '')}${TWILIO_STATUS_CALLBACK_PATH}`;
}

/** The room events the relay acts on; track and recording events are acknowledged and dropped. */
export const RoomStatusEvent = {
  roomCreated: 'room-created',
  roomEnded: 'room-ended',
  participantConnected: 'participant-connected',
  participantDisconnected: 'participant-disconnected',
} as const;
export type RoomStatusEvent = (typeof RoomStatusEvent)[keyof typeof RoomStatusEvent];

const Sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`));
const optionalNumber = z.coerce.number().int().min(0).optional();

/** Twilio's form fields (PascalCase, all strings on the wire). Unknown fields are ignored. */
export const StatusCallbackBodySchema = z.object({
  StatusCallbackEvent: z.string().min(1).max(64),
  AccountSid: Sid('AC'),
  RoomSid: Sid('RM'),
  RoomName: z.string().min(1).max(256),
  RoomStatus: z.string().max(32).optional(),
  Timestamp: z.string().min(1).max(64),
  ParticipantSid: Sid('PA').optional(),
  ParticipantIdentity: z.string().max(256).optional(),
  ParticipantStatus: z.string().max(32).optional(),
  ParticipantDuration: optionalNumber,
  RoomDuration: optionalNumber,
  SequenceNumber: optionalNumber,
});

export type TwilioRoomEvent = {
  type: RoomStatusEvent;
  roomSid: string;
  roomName: string;
  /** null when the room was not created by this relay (name without our prefix). */
  sessionId: string | null;
  /** Identity of the participant for participant-* events (the relay sets it when minting). */
  participantIdentity: string | null;
  participantSid: string | null;
  /** Twilio's event time; callbacks can arrive out of order, use it (and sequenceNumber) to order. */
  timestamp: Date;
  sequenceNumber: number | null;
  /** Seconds in the room, on *-disconnected / room-ended. */
  durationSeconds: number | null;
};

const KNOWN_EVENTS = new Set<string>(Object.values(RoomStatusEvent));

export type TwilioWebhookOptions = {
  authToken: string;
  /** Public base URL Twilio was given (TwilioConfig.webhookBaseUrl); never derived from request headers. */
  webhookBaseUrl: string;
  onEvent: (event: TwilioRoomEvent) => void | Promise<void>;
  logger?: Logger;
};

function toEvent(body: z.infer<typeof StatusCallbackBodySchema>): TwilioRoomEvent | null {
  if (!KNOWN_EVENTS.has(body.StatusCallbackEvent)) return null;
  const timestamp = new Date(body.Timestamp);
  const disconnected = body.StatusCallbackEvent === RoomStatusEvent.participantDisconnected;
  return {
    type: body.StatusCallbackEvent as RoomStatusEvent,
    roomSid: body.RoomSid,
    roomName: body.RoomName,
    sessionId: sessionIdFromRoomName(body.RoomName),
    participantIdentity: body.ParticipantIdentity ?? null,
    participantSid: body.ParticipantSid ?? null,
    timestamp: Number.isNaN(timestamp.getTime()) ? new Date() : timestamp,
    sequenceNumber: body.SequenceNumber ?? null,
    durationSeconds: (disconnected ? body.ParticipantDuration : body.RoomDuration) ?? null,
  };
}

/**
 * Express handlers for Twilio room status callbacks: parse the form, check X-Twilio-Signature
 * against the configured public URL plus the path as received, validate with zod, then call
 * `onEvent`. Mount with `app.post(TWILIO_STATUS_CALLBACK_PATH, ...createTwilioWebhookHandlers(...))`.
 */
export function createTwilioWebhookHandlers(options: TwilioWebhookOptions): RequestHandler[] {
  const base = options.webhookBaseUrl.replace(/\/+$/, '');
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 });

  const handle = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const params: Record<string, unknown> = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    const signature = req.get('X-Twilio-Signature') ?? '';
    // Behind a proxy Host and X-Forwarded-* describe the hop, not what Twilio signed.
    const url = `${base}${req.originalUrl}`;
    if (!signature || !twilio.validateRequest(options.authToken, signature, url, params)) {
      options.logger?.warn(`[twilio] status callback with a bad signature refused (${req.ip ?? 'unknown'})`);
      res.status(403).type('text/plain').send('Invalid Twilio signature');
      return;
    }
    const parsed = StatusCallbackBodySchema.safeParse(params);
    if (!parsed.success) {
      options.logger?.warn(`[twilio] unexpected status callback: ${z.prettifyError(parsed.error)}`);
      res.status(400).type('text/plain').send('Unexpected status callback');
      return;
    }
    const event = toEvent(parsed.data);
    try {
      if (event) await options.onEvent(event);
    } catch (err) {
      next(err);
      return;
    }
    res.status(204).end();
  };

  return [form, (req, res, next) => void handle(req, res, next)];
}
