import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button, IconButton } from '@zendeskgarden/react-buttons';
import { Textarea } from '@zendeskgarden/react-forms';
import { Tag } from '@zendeskgarden/react-tags';
import { MD, SM } from '@zendeskgarden/react-typography';
import { MAX_CHAT_ATTACHMENTS, MAX_CHAT_TEXT } from '@live-assist/protocol';
import type { ChatEntry, ChatStore } from '@live-assist/client-core';
import { useI18n } from '../../i18n/i18n';
import { ChatBubbleIcon, CloseIcon, DownloadIcon, PaperclipIcon, SendIcon } from '../../components/icons';
import { MessageRow, senderOf, type Labels } from './MessageRow';
import { useChatSnapshot } from './useConsoleChat';

const Panel = styled.section<{ $open: boolean }>`
  display: flex;
  flex-direction: column;
  border-top: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-left: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
  min-height: 0;
  /* The session panel above scrolls under this edge when it does not fit; the shadow says so. */
  box-shadow: 0 -6px 8px -6px ${(p) => getColor({ theme: p.theme, variable: 'shadow.medium' })};
  ${(p) => (p.$open ? 'height: 100%;' : '')}
`;

const Header = styled.header`
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: ${(p) => p.theme.space.sm};
  padding: ${(p) => `${p.theme.space.xs} ${p.theme.space.sm} ${p.theme.space.xs} ${p.theme.space.md}`};
  min-height: 48px;
`;

const List = styled.ol`
  display: flex;
  flex: 1;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
  margin: 0;
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.subtle' })};
  padding: ${(p) => p.theme.space.sm};
  min-height: 0;
  overflow-y: auto;
  list-style: none;
`;

const Empty = styled.li`
  margin: auto;
  max-width: 220px;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  text-align: center;
`;

const ReadOnlyNote = styled.p`
  margin: 0;
  padding: ${(p) => p.theme.space.sm} ${(p) => p.theme.space.md};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

const Form = styled.form`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.xs};
  border-top: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  padding: ${(p) => p.theme.space.sm};
`;

const Row = styled.div`
  display: flex;
  align-items: flex-end;
  gap: ${(p) => p.theme.space.xs};
`;

const ReplyBar = styled.div`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  border-left: 3px solid ${(p) => getColor({ theme: p.theme, variable: 'border.primaryEmphasis' })};
  border-radius: 4px;
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.subtle' })};
  padding: 2px 2px 2px ${(p) => p.theme.space.xs};
  font-size: ${(p) => p.theme.fontSizes.sm};

  & > div {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-width: 0;
  }

  & span {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;

const Staged = styled.ul`
  display: flex;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;
  padding: 0;
  list-style: none;

  li {
    position: relative;
  }

  img {
    display: block;
    border-radius: 6px;
    width: 56px;
    height: 56px;
    object-fit: cover;
  }

  button {
    position: absolute;
    top: -6px;
    right: -6px;
  }
`;

const Hidden = styled.input`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
`;

const Viewer = styled.div`
  display: grid;
  position: fixed;
  inset: 0;
  place-items: center;
  z-index: 1000;
  background: rgb(0 0 0 / 0.88);
  padding: 56px 24px 24px;

  img {
    max-width: 100%;
    max-height: calc(100vh - 96px);
    object-fit: contain;
  }
`;

const ViewerClose = styled(IconButton)`
  position: absolute;
  top: 12px;
  right: 12px;
  background: #fff;

  &:hover,
  &:focus-visible {
    background: #f3f4f6;
  }
`;

/** Bottom right of the photo viewer: saving the original, which the audit log records. */
const ViewerActions = styled.div`
  display: flex;
  position: absolute;
  right: 12px;
  bottom: 12px;
  align-items: center;
  gap: 12px;
`;

const ViewerError = styled.span`
  border-radius: 4px;
  background: #fff;
  padding: 4px 8px;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.danger' })};
`;

type Staged = { blob: Blob; localUrl: string };

/** The specialist's side of the chat, in the console's right column. */
export function ConsoleChat({
  store,
  onDownload,
  readOnly = false,
}: {
  store: ChatStore | null;
  /** An observer's console: the chat is shown, nothing can be sent. */
  readOnly?: boolean;
  /** Saves a sent photo's original (recorded in the audit log); null while there is no session. */
  onDownload?: ((uploadId: string) => Promise<void>) | null;
}) {
  const { t } = useI18n();
  const chat = useChatSnapshot(store);
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<Staged[]>([]);
  const [replyTo, setReplyTo] = useState<ChatEntry | null>(null);
  const [viewing, setViewing] = useState<{ url: string; alt: string; uploadId?: string } | null>(null);
  const [downloadFailed, setDownloadFailed] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const labels: Labels = useMemo(
    // An observer did not write the specialist's messages: no "You" for them.
    () => ({ you: t(readOnly ? 'chat.specialist' : 'chat.you'), customer: t('chat.customer'), specialist: t('chat.specialist') }),
    [t, readOnly],
  );

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.entries.length, chat.open]);

  const closeViewer = useCallback(() => {
    setViewing(null);
    setDownloadFailed(false);
  }, []);
  useEffect(() => {
    if (!viewing) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') closeViewer();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewing, closeViewer]);

  const canSend = Boolean(store) && (text.trim().length > 0 || photos.length > 0);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!store || !canSend) return;
    if (store.send({ text, replyTo, photos })) {
      setText('');
      setPhotos([]);
      setReplyTo(null);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };
  const addFiles = (files: FileList | null) => {
    if (!files) return;
    const added = [...files].slice(0, MAX_CHAT_ATTACHMENTS - photos.length).map((f) => ({ blob: f, localUrl: URL.createObjectURL(f) }));
    setPhotos((current) => [...current, ...added]);
    if (fileRef.current) fileRef.current.value = '';
  };

  if (!chat.open) {
    return (
      <Panel $open={false} aria-label={t('chat.title')}>
        <Header>
          <Button isBasic onClick={() => store?.setOpen(true)} disabled={!store}>
            <Button.StartIcon>
              <ChatBubbleIcon />
            </Button.StartIcon>
            {t('chat.open')}
          </Button>
          {chat.unread > 0 ? (
            <Tag hue="dangerHue" isPill>
              {t('chat.unread', { count: chat.unread })}
            </Tag>
          ) : null}
        </Header>
      </Panel>
    );
  }

  return (
    <Panel $open aria-labelledby="console-chat-title">
      <Header>
        <MD tag="h2" isBold id="console-chat-title">
          {t('chat.title')}
        </MD>
        <IconButton size="small" aria-label={t('chat.close')} onClick={() => store?.setOpen(false)}>
          <CloseIcon />
        </IconButton>
      </Header>
      <List ref={listRef} role="log" aria-live="polite" aria-label={t('chat.messages')}>
        {chat.entries.length === 0 ? <Empty role="none">{t(readOnly ? 'chat.emptyReadOnly' : 'chat.empty')}</Empty> : null}
        {chat.entries.map((entry) => (
          <MessageRow
            key={entry.key}
            entry={entry}
            myRole="specialist"
            online={chat.online}
            labels={labels}
            onReply={(e) => {
              setReplyTo(e);
              inputRef.current?.focus();
            }}
            onRetry={(id) => store?.retry(id)}
            onOpenPhoto={(url, alt, uploadId) => setViewing({ url, alt, uploadId })}
          />
        ))}
      </List>
      {readOnly ? (
        <ReadOnlyNote>{t('chat.readOnly')}</ReadOnlyNote>
      ) : (
        <Form onSubmit={submit}>
          {replyTo ? (
            <ReplyBar>
              <div>
                <strong>{t('chat.replyingTo', { name: senderOf(replyTo, labels) })}</strong>
                <span>{replyTo.text || t('chat.photos', { count: replyTo.attachments.length })}</span>
              </div>
              <IconButton size="small" aria-label={t('chat.cancelReply')} onClick={() => setReplyTo(null)}>
                <CloseIcon />
              </IconButton>
            </ReplyBar>
          ) : null}
          {photos.length > 0 ? (
            <Staged aria-label={t('chat.selectedPhotos')}>
              {photos.map((p, i) => (
                <li key={p.localUrl}>
                  <img src={p.localUrl} alt={t('chat.selectedPhoto', { n: i + 1 })} />
                  <IconButton
                    size="small"
                    isPill
                    isPrimary
                    aria-label={t('chat.removePhoto', { n: i + 1 })}
                    onClick={() => {
                      URL.revokeObjectURL(p.localUrl);
                      setPhotos((current) => current.filter((x) => x !== p));
                    }}
                  >
                    <CloseIcon />
                  </IconButton>
                </li>
              ))}
            </Staged>
          ) : null}
          <Row>
            <IconButton
              aria-label={t('chat.attach')}
              disabled={!store || photos.length >= MAX_CHAT_ATTACHMENTS}
              onClick={() => fileRef.current?.click()}
            >
              <PaperclipIcon />
            </IconButton>
            <Hidden
              ref={fileRef}
              type="file"
              accept="image/*"
              multiple
              tabIndex={-1}
              aria-hidden="true"
              data-testid="chat-file-input"
              onChange={(event) => addFiles(event.target.files)}
            />
            <Textarea
              ref={inputRef}
              aria-label={t('chat.message')}
              placeholder={t('chat.placeholder')}
              minRows={1}
              maxRows={5}
              isResizable={false}
              maxLength={MAX_CHAT_TEXT}
              value={text}
              onChange={(event) => setText(event.target.value)}
              onKeyDown={onKeyDown}
            />
            <IconButton type="submit" isPrimary aria-label={t('chat.send')} disabled={!canSend}>
              <SendIcon />
            </IconButton>
          </Row>
          {text.length > MAX_CHAT_TEXT - 200 ? (
            <SM aria-live="polite">{t('chat.charactersLeft', { count: MAX_CHAT_TEXT - text.length })}</SM>
          ) : null}
        </Form>
      )}
      {viewing ? (
        <Viewer role="dialog" aria-modal="true" aria-label={t('chat.photo')} onClick={closeViewer}>
          <img src={viewing.url} alt={viewing.alt} onClick={(event) => event.stopPropagation()} />
          <ViewerClose aria-label={t('chat.closePhoto')} onClick={closeViewer} autoFocus>
            <CloseIcon />
          </ViewerClose>
          {viewing.uploadId && onDownload ? (
            <ViewerActions onClick={(event) => event.stopPropagation()}>
              {downloadFailed ? <ViewerError role="alert">{t('chat.downloadFailed')}</ViewerError> : null}
              <Button
                size="small"
                isPrimary
                onClick={() => {
                  setDownloadFailed(false);
                  onDownload(viewing.uploadId!).catch(() => setDownloadFailed(true));
                }}
              >
                <Button.StartIcon>
                  <DownloadIcon />
                </Button.StartIcon>
                {t('chat.download')}
              </Button>
            </ViewerActions>
          ) : null}
        </Viewer>
      ) : null}
    </Panel>
  );
}
