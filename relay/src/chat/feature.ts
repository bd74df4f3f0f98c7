import {
  CHAT_HISTORY_PAGE,
  MAX_QUOTE_TEXT,
  MAX_SESSION_CHAT_BYTES,
  MAX_SESSION_CHAT_MESSAGES,
  Role,
  UploadPurpose,
  type ChatMessage,
  type ChatRejected,
  type UploadView,
} from '@live-assist/protocol';
import type { SessionRepository } from '../db/repository.js';
import type { FeatureRoom, FeatureSender, FrameOf, RoomFeature, RoomFeatureFactory } from '../rooms/feature.js';
import { randomId } from '../tokens.js';
import type { UploadService } from '../uploads/service.js';
import type { ChatQuota, ChatRecord, ChatRepository } from './store.js';

export interface ChatFeatureDeps {
  chat: ChatRepository;
  sessions: Pick<SessionRepository, 'findById'>;
  uploads: UploadService;
  now: () => number;
  /** Default: MAX_SESSION_CHAT_MESSAGES messages and MAX_SESSION_CHAT_BYTES bytes of text. */
  quota?: ChatQuota;
}

type ChatFrame = 'chat-send' | 'chat-sync';

class ChatFeature implements RoomFeature<ChatFrame> {
  readonly frameTypes = ['chat-send', 'chat-sync'] as const;
  /** Frames of one session are handled one after another so seq order is delivery order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sessionId: string,
    private readonly d: ChatFeatureDeps,
  ) {}

  handle(frame: FrameOf<ChatFrame>, from: FeatureSender, room: FeatureRoom): Promise<void> {
    const work = async () => {
      if (frame.type === 'chat-send') await this.send(frame, from, room);
      else await this.sync(frame.afterSeq, from.role, room);
    };
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async send(frame: FrameOf<'chat-send'>, from: FeatureSender, room: FeatureRoom): Promise<void> {
    const reject = (reason: ChatRejected['reason'], message: string) => {
      room.sendTo(from.role, { type: 'chat-rejected', clientId: frame.clientId, reason, message });
    };
    if (frame.replyTo !== undefined && !(await this.d.chat.findById(this.sessionId, frame.replyTo))) {
      reject('bad-reply', 'The message you reply to does not exist in this chat.');
      return;
    }
    const attachmentIds = [...new Set(frame.attachments)];
    for (const id of attachmentIds) {
      const upload = await this.d.uploads.repo.findById(id);
      if (!upload || upload.sessionId !== this.sessionId || upload.purpose !== UploadPurpose.photo) {
        reject('bad-attachment', 'A photo of this message was not uploaded to this call.');
        return;
      }
    }
    let result;
    try {
      result = await this.d.chat.append(
        {
          id: randomId(),
          sessionId: this.sessionId,
          clientId: frame.clientId,
          from: from.role,
          senderName: await this.senderName(from.role),
          text: frame.text,
          replyToId: frame.replyTo ?? null,
          attachmentIds,
          createdAt: this.d.now(),
        },
        this.d.quota ?? { messages: MAX_SESSION_CHAT_MESSAGES, bytes: MAX_SESSION_CHAT_BYTES },
      );
    } catch {
      reject('storage', 'The message could not be saved; try again.');
      return;
    }
    if ('overQuota' in result) {
      reject('quota', 'This chat is full: no more messages can be stored for this call.');
      return;
    }
    const message = await this.view(result.record);
    // Stored first, shown second; a resend only re-acknowledges to its sender.
    if (result.duplicate) room.sendTo(from.role, { type: 'chat-message', message });
    else room.broadcast({ type: 'chat-message', message });
  }

  private async sync(afterSeq: number, role: Role, room: FeatureRoom): Promise<void> {
    const records = await this.d.chat.listAfter(this.sessionId, afterSeq, CHAT_HISTORY_PAGE + 1);
    const page = records.slice(0, CHAT_HISTORY_PAGE);
    const messages = await Promise.all(page.map((r) => this.view(r)));
    room.sendTo(role, { type: 'chat-history', messages, more: records.length > CHAT_HISTORY_PAGE });
  }

  private async senderName(role: Role): Promise<string> {
    if (role === Role.customer) return '';
    const session = await this.d.sessions.findById(this.sessionId);
    return (session?.agentName ?? '').slice(0, 200);
  }

  private async view(record: ChatRecord): Promise<ChatMessage> {
    let replyTo: ChatMessage['replyTo'] = null;
    if (record.replyToId !== null) {
      const quoted = await this.d.chat.findById(this.sessionId, record.replyToId);
      if (quoted) {
        replyTo = {
          id: quoted.id,
          seq: quoted.seq,
          from: quoted.from,
          text: quoted.text.slice(0, MAX_QUOTE_TEXT),
          photos: quoted.attachmentIds.length,
        };
      }
    }
    const attachments: UploadView[] = [];
    for (const id of record.attachmentIds) {
      const upload = await this.d.uploads.repo.findById(id);
      if (upload) attachments.push(this.d.uploads.view(upload));
    }
    return {
      id: record.id,
      seq: record.seq,
      clientId: record.clientId,
      from: record.from,
      senderName: record.senderName,
      text: record.text,
      replyTo,
      attachments,
      sentAt: new Date(record.createdAt).toISOString(),
    };
  }
}

/** Chat for every session: persisted before delivery, idempotent by client id, replayable by seq. */
export function chatFeature(deps: ChatFeatureDeps): RoomFeatureFactory<ChatFrame> {
  return ({ sessionId }) => new ChatFeature(sessionId, deps);
}
