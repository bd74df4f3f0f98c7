import type { ChatMessage } from '@live-assist/protocol';

/** A message as the relay confirms it: the specialist's by default, its seq in every field. */
export function chatMessage(seq: number, over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `message-${seq}`,
    seq,
    clientId: `client-${seq}-xx`,
    from: 'specialist',
    senderName: 'Ada',
    text: `text ${seq}`,
    replyTo: null,
    attachments: [],
    sentAt: new Date(1_700_000_000_000 + seq).toISOString(),
    ...over,
  };
}
