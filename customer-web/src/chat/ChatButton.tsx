import { useTranslation } from 'react-i18next';
import { ChatIcon } from './ChatIcons.js';
import { useChatSnapshot, useChatStore } from './useChat.js';

/** The `Chat` call control with its unread badge. */
export function ChatButton() {
  const { t } = useTranslation();
  const store = useChatStore();
  const chat = useChatSnapshot(store);
  const unread = chat.unread;
  return (
    <div className="control">
      <button
        type="button"
        className="control__button chat-button"
        aria-label={t('chat.open')}
        aria-expanded={chat.open}
        aria-controls="chat-sheet"
        aria-describedby={unread > 0 ? 'chat-unread' : undefined}
        disabled={!store}
        onClick={() => store?.setOpen(!chat.open)}
      >
        <ChatIcon />
        {unread > 0 && (
          <span className="chat-button__badge" id="chat-unread">
            {unread > 99 ? '99+' : unread}
            <span className="visually-hidden"> {t('chat.unread', { count: unread })}</span>
          </span>
        )}
      </button>
      <span className="control__caption" aria-hidden="true">
        {t('chat.caption')}
      </span>
    </div>
  );
}
