import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatEntry } from '@live-assist/client-core';
import { CloseIcon } from './ChatIcons.js';
import { Composer, type StagedPhoto } from './Composer.js';
import { senderOf, type SenderLabels } from './format.js';
import { MessageItem } from './MessageItem.js';
import { PhotoViewer } from './PhotoViewer.js';
import { useChatSnapshot, useChatStore } from './useChat.js';
import './chat.css';

type Props = { specialistName: string };

/** The chat over the call: messages, reply, photos, composer; `Close chat` returns to the video. */
export function ChatSheet({ specialistName }: Props) {
  const { t } = useTranslation();
  const store = useChatStore();
  const chat = useChatSnapshot(store);
  const [replyTo, setReplyTo] = useState<ChatEntry | null>(null);
  const [viewing, setViewing] = useState<{ url: string; alt: string } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const sheetRef = useRef<HTMLElement>(null);
  const labels: SenderLabels = useMemo(
    () => ({ you: t('chat.you'), specialist: specialistName, customer: t('chat.customer') }),
    [t, specialistName],
  );

  useEffect(() => {
    if (!chat.open) return;
    const opener = document.activeElement as HTMLElement | null;
    // The sheet itself takes focus, not the textbox: on a phone that would pop the keyboard up.
    sheetRef.current?.focus({ preventScroll: true });
    return () => {
      // Back to the Chat button (or wherever the customer was) when the sheet closes.
      if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
    };
  }, [chat.open]);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.entries.length, chat.open]);

  const close = useCallback(() => store?.setOpen(false), [store]);
  const closeViewer = useCallback(() => setViewing(null), []);

  if (!store || !chat.open) return null;

  const onSend = (text: string, photos: StagedPhoto[]) => {
    const sent = store.send({ text, replyTo, photos });
    if (sent) setReplyTo(null);
    return sent;
  };

  return (
    <section
      id="chat-sheet"
      ref={sheetRef}
      className="chat-sheet"
      aria-labelledby="chat-sheet-title"
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !viewing) close();
      }}
    >
      <header className="chat-sheet__header">
        <div>
          <h2 id="chat-sheet-title" className="chat-sheet__title">
            {t('chat.title')}
          </h2>
          <p className="chat-sheet__subtitle">{specialistName}</p>
        </div>
        <button type="button" className="chat-icon-button" aria-label={t('chat.close')} onClick={close}>
          <CloseIcon />
        </button>
      </header>
      <ol ref={listRef} className="chat-list" role="log" aria-live="polite" aria-label={t('chat.messages')}>
        {chat.entries.length === 0 && (
          <li role="none" className="chat-empty">
            {t('chat.empty')}
          </li>
        )}
        {chat.entries.map((entry) => (
          <MessageItem
            key={entry.key}
            entry={entry}
            myRole="customer"
            online={chat.online}
            labels={labels}
            onReply={(e) => {
              setReplyTo(e);
              inputRef.current?.focus();
            }}
            onRetry={(id) => store.retry(id)}
            onOpenPhoto={(url, alt) => setViewing({ url, alt })}
          />
        ))}
      </ol>
      <Composer
        replyTo={replyTo}
        replySender={replyTo ? senderOf(replyTo, labels) : ''}
        onCancelReply={() => setReplyTo(null)}
        onSend={onSend}
        inputRef={inputRef}
      />
      {viewing && <PhotoViewer url={viewing.url} alt={viewing.alt} onClose={closeViewer} />}
    </section>
  );
}
