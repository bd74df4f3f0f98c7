import { useTranslation } from 'react-i18next';
import type { ChatEntry } from '@live-assist/client-core';
import type { Role } from '@live-assist/protocol';
import { ReplyIcon, RetryIcon } from './ChatIcons.js';
import { failureKey, senderOf, timeOf, type SenderLabels } from './format.js';

type Props = {
  entry: ChatEntry;
  myRole: Role;
  online: boolean;
  labels: SenderLabels;
  onReply(entry: ChatEntry): void;
  onRetry(clientId: string): void;
  onOpenPhoto(url: string, alt: string): void;
};

export function MessageItem({ entry, myRole, online, labels, onReply, onRetry, onOpenPhoto }: Props) {
  const { t, i18n } = useTranslation();
  const sender = senderOf(entry, labels);
  const photos =
    entry.attachments.length > 0
      ? entry.attachments.map((a, i) => ({ key: a.id, thumb: entry.pendingPhotos[i]?.localUrl ?? a.previewUrl, full: a.url }))
      : entry.pendingPhotos.map((p, i) => ({ key: `local-${i}`, thumb: p.localUrl, full: p.localUrl }));
  const quoteSender = entry.replyTo
    ? senderOf({ mine: entry.replyTo.from === myRole, from: entry.replyTo.from, senderName: '' }, labels)
    : '';
  return (
    // role="none": the messages sit directly in the role="log" element, which is no list, so a
    // listitem here would have no list to belong to (axe `listitem`); the log reads them as they come.
    <li role="none" className={`chat-msg ${entry.mine ? 'chat-msg--mine' : 'chat-msg--theirs'}`} data-status={entry.status}>
      <div className="chat-msg__meta">
        <span className="chat-msg__sender">{sender}</span>
        <time className="chat-msg__time" dateTime={entry.sentAt}>
          {timeOf(entry.sentAt, i18n.language)}
        </time>
      </div>
      <div className="chat-msg__bubble">
        {entry.replyTo && (
          <blockquote className="chat-quote">
            <span className="chat-quote__sender">{quoteSender}</span>
            <span className="chat-quote__text">{entry.replyTo.text || t('chat.photoCount', { count: entry.replyTo.photos })}</span>
          </blockquote>
        )}
        {photos.length > 0 && (
          <div className="chat-photos">
            {photos.map((p, i) =>
              p.thumb ? (
                <button
                  key={p.key}
                  type="button"
                  className="chat-photo"
                  onClick={() => p.full && onOpenPhoto(p.full, t('chat.photoFrom', { name: sender, n: i + 1 }))}
                >
                  <img src={p.thumb} alt={t('chat.photoFrom', { name: sender, n: i + 1 })} />
                </button>
              ) : (
                // A photo restored after a reload is read back from the phone's storage first: its
                // place is held so the bubble does not jump (or look empty) meanwhile.
                <span
                  key={p.key}
                  className="chat-photo chat-photo--waiting"
                  role="img"
                  aria-label={t('chat.photoFrom', { name: sender, n: i + 1 })}
                />
              ),
            )}
          </div>
        )}
        {entry.text && <p className="chat-msg__text">{entry.text}</p>}
      </div>
      <div className="chat-msg__foot">
        {entry.mine && entry.status === 'sending' && (
          <span className="chat-msg__state">{online ? t('chat.status.sending') : t('chat.failure.offline')}</span>
        )}
        {entry.mine && entry.status === 'sent' && <span className="chat-msg__state">{t('chat.status.sent')}</span>}
        {entry.status === 'failed' && (
          <span className="chat-msg__state chat-msg__state--failed" role="alert">
            {t('chat.status.failed')}
            {entry.failure ? ` — ${t(failureKey[entry.failure])}` : ''}
          </span>
        )}
        {entry.status === 'failed' && (
          <button type="button" className="chat-link" onClick={() => onRetry(entry.clientId)}>
            <RetryIcon width={16} height={16} />
            {t('chat.retry')}
          </button>
        )}
        {entry.id !== null && (
          <button type="button" className="chat-link" aria-label={t('chat.replyTo', { name: sender })} onClick={() => onReply(entry)}>
            <ReplyIcon width={16} height={16} />
            {t('chat.reply')}
          </button>
        )}
      </div>
    </li>
  );
}
