import type { ChatEntry, ChatFailure } from '@live-assist/client-core';

export function timeOf(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** Keys of the `chat` namespace each failure is explained with. */
export const failureKey: Record<ChatFailure, string> = {
  'too-large': 'chat.failure.tooLarge',
  unsupported: 'chat.failure.unsupported',
  upload: 'chat.failure.upload',
  quota: 'chat.failure.quota',
  rejected: 'chat.failure.rejected',
  timeout: 'chat.failure.timeout',
};

export type SenderLabels = { you: string; specialist: string; customer: string };

export function senderOf(entry: Pick<ChatEntry, 'mine' | 'from' | 'senderName'>, labels: SenderLabels): string {
  if (entry.mine) return labels.you;
  if (entry.from === 'specialist') return entry.senderName || labels.specialist;
  return entry.senderName || labels.customer;
}
