import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CHAT_ATTACHMENTS, MAX_CHAT_TEXT } from '@live-assist/protocol';
import type { ChatEntry } from '@live-assist/client-core';
import { CameraPlusIcon, CloseIcon, SendIcon } from './ChatIcons.js';

export type StagedPhoto = { blob: Blob; localUrl: string };

type Props = {
  replyTo: ChatEntry | null;
  replySender: string;
  onCancelReply(): void;
  onSend(text: string, photos: StagedPhoto[]): boolean;
  inputRef: React.RefObject<HTMLTextAreaElement>;
};

/** Text, staged photos and the reply being written; Enter sends, Shift+Enter breaks the line. */
export function Composer({ replyTo, replySender, onCancelReply, onSend, inputRef }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<StagedPhoto[]>([]);
  const fileRef = useRef<HTMLInputElement>(null);
  const canSend = text.trim().length > 0 || photos.length > 0;

  useEffect(() => {
    const textarea = inputRef.current;
    if (!textarea) return;
    // Grow with the text up to about five lines, then scroll.
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight, 132)}px`;
  }, [text, inputRef]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    if (onSend(text, photos)) {
      setText('');
      setPhotos([]);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  const addFiles = (files: FileList | null) => {
    if (!files) return;
    const room = MAX_CHAT_ATTACHMENTS - photos.length;
    const added = [...files].slice(0, room).map((file) => ({ blob: file, localUrl: URL.createObjectURL(file) }));
    setPhotos((current) => [...current, ...added]);
    if (fileRef.current) fileRef.current.value = '';
  };

  const remove = (index: number) => {
    setPhotos((current) => {
      const gone = current[index];
      if (gone) URL.revokeObjectURL(gone.localUrl);
      return current.filter((_, i) => i !== index);
    });
  };

  return (
    <form className="chat-composer" onSubmit={submit}>
      {replyTo && (
        <div className="chat-composer__reply">
          <div className="chat-composer__reply-text">
            <span className="chat-quote__sender">{t('chat.replyingTo', { name: replySender })}</span>
            <span className="chat-quote__text">{replyTo.text || t('chat.photoCount', { count: replyTo.attachments.length })}</span>
          </div>
          <button type="button" className="chat-icon-button" aria-label={t('chat.cancelReply')} onClick={onCancelReply}>
            <CloseIcon width={18} height={18} />
          </button>
        </div>
      )}
      {photos.length > 0 && (
        <ul className="chat-composer__photos" aria-label={t('chat.selectedPhotos')}>
          {photos.map((p, i) => (
            <li key={p.localUrl} className="chat-composer__photo">
              <img src={p.localUrl} alt={t('chat.selectedPhoto', { n: i + 1 })} />
              <button
                type="button"
                className="chat-composer__remove"
                aria-label={t('chat.removePhoto', { n: i + 1 })}
                onClick={() => remove(i)}
              >
                <CloseIcon width={14} height={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="chat-composer__row">
        <button
          type="button"
          className="chat-icon-button chat-icon-button--attach"
          aria-label={t('chat.attach')}
          disabled={photos.length >= MAX_CHAT_ATTACHMENTS}
          onClick={() => fileRef.current?.click()}
        >
          <CameraPlusIcon />
        </button>
        <input
          ref={fileRef}
          className="visually-hidden"
          type="file"
          accept="image/*"
          multiple
          tabIndex={-1}
          aria-hidden="true"
          data-testid="chat-file-input"
          onChange={(event) => addFiles(event.target.files)}
        />
        <textarea
          ref={inputRef}
          className="chat-composer__input"
          aria-label={t('chat.message')}
          placeholder={t('chat.placeholder')}
          rows={1}
          maxLength={MAX_CHAT_TEXT}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="chat-send" aria-label={t('chat.send')} disabled={!canSend}>
          <SendIcon width={20} height={20} />
        </button>
      </div>
      {text.length > MAX_CHAT_TEXT - 200 && (
        <p className="chat-composer__count" aria-live="polite">
          {t('chat.charactersLeft', { count: MAX_CHAT_TEXT - text.length })}
        </p>
      )}
    </form>
  );
}
