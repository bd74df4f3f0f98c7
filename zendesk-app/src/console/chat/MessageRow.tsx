import styled, { css } from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import type { ChatEntry, ChatFailure } from '@live-assist/client-core';
import type { Role } from '@live-assist/protocol';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ReplyIcon, RetryIcon } from '../../components/icons';

export type Labels = { you: string; customer: string; specialist: string };

export function senderOf(e: Pick<ChatEntry, 'mine' | 'from' | 'senderName'>, labels: Labels): string {
  if (e.mine) return labels.you;
  return e.from === 'customer' ? labels.customer : e.senderName || labels.specialist;
}

const failureKey: Record<ChatFailure, MessageKey> = {
  'too-large': 'chat.failure.tooLarge',
  unsupported: 'chat.failure.unsupported',
  upload: 'chat.failure.upload',
  quota: 'chat.failure.quota',
  rejected: 'chat.failure.rejected',
  timeout: 'chat.failure.timeout',
};

const Item = styled.li<{ $mine: boolean }>`
  display: flex;
  flex-direction: column;
  align-self: ${(p) => (p.$mine ? 'flex-end' : 'flex-start')};
  align-items: ${(p) => (p.$mine ? 'flex-end' : 'flex-start')};
  gap: 2px;
  max-width: 88%;
`;

const Meta = styled.div`
  display: flex;
  gap: ${(p) => p.theme.space.xs};
  padding: 0 2px;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

const Sender = styled.span`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
`;

const Bubble = styled.div<{ $mine: boolean; $state: string }>`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.xs};
  border-radius: 12px;
  padding: ${(p) => `${p.theme.space.xs} ${p.theme.space.sm}`};
  overflow-wrap: anywhere;
  white-space: pre-wrap;
  ${(p) =>
    p.$mine
      ? css`
          border-bottom-right-radius: 4px;
          background: ${getColor({ theme: p.theme, variable: 'background.primaryEmphasis' })};
          color: ${getColor({ theme: p.theme, variable: 'foreground.onEmphasis' })};
        `
      : css`
          border: ${p.theme.borders.sm} ${getColor({ theme: p.theme, variable: 'border.default' })};
          border-bottom-left-radius: 4px;
          background: ${getColor({ theme: p.theme, variable: 'background.default' })};
        `}
  opacity: ${(p) => (p.$state === 'sending' ? 0.7 : 1)};
  box-shadow: ${(p) => (p.$state === 'failed' ? `0 0 0 2px ${getColor({ theme: p.theme, variable: 'border.dangerEmphasis' })}` : 'none')};
`;

const Quote = styled.blockquote`
  display: flex;
  flex-direction: column;
  margin: 0;
  border-left: 3px solid currentColor;
  border-radius: 4px;
  background: rgb(128 128 128 / 0.14);
  padding: 2px ${(p) => p.theme.space.xs};
  font-size: ${(p) => p.theme.fontSizes.sm};

  & > span:last-child {
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }
`;

const Photos = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 4px;
`;

const Thumb = styled.button`
  display: block;
  border: 0;
  border-radius: 8px;
  background: rgb(128 128 128 / 0.2);
  cursor: zoom-in;
  padding: 0;
  overflow: hidden;

  img {
    display: block;
    width: 160px;
    max-width: 100%;
    height: 120px;
    object-fit: cover;
  }
`;

const Foot = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0 ${(p) => p.theme.space.xs};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

const Failed = styled.span`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.danger' })};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
`;

type Props = {
  entry: ChatEntry;
  myRole: Role;
  online: boolean;
  labels: Labels;
  onReply(entry: ChatEntry): void;
  onRetry(clientId: string): void;
  /** `uploadId`: the relay's id, for a photo already sent (a pending one has none). */
  onOpenPhoto(url: string, alt: string, uploadId?: string): void;
};

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function timeOf(iso: string, locale: string): string {
  let format = timeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    timeFormats.set(locale, format);
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : format.format(date);
}

export function MessageRow({ entry, myRole, online, labels, onReply, onRetry, onOpenPhoto }: Props) {
  const { t, locale } = useI18n();
  const sender = senderOf(entry, labels);
  const photos =
    entry.attachments.length > 0
      ? entry.attachments.map((a, i) => ({
          key: a.id,
          id: a.id as string | undefined,
          thumb: entry.pendingPhotos[i]?.localUrl ?? a.previewUrl,
          full: a.url,
        }))
      : entry.pendingPhotos.map((p, i) => ({ key: `local-${i}`, id: undefined, thumb: p.localUrl, full: p.localUrl }));
  return (
    // role="none": the messages sit directly in the role="log" element, which is no list, so a
    // listitem here would have no list to belong to (axe `listitem`); the log reads them as they come.
    <Item role="none" $mine={entry.mine} data-status={entry.status}>
      <Meta>
        <Sender>{sender}</Sender>
        <time dateTime={entry.sentAt}>{timeOf(entry.sentAt, locale)}</time>
      </Meta>
      <Bubble $mine={entry.mine} $state={entry.status}>
        {entry.replyTo ? (
          <Quote>
            <strong>{senderOf({ mine: entry.replyTo.from === myRole, from: entry.replyTo.from, senderName: '' }, labels)}</strong>
            <span>{entry.replyTo.text || t('chat.photos', { count: entry.replyTo.photos })}</span>
          </Quote>
        ) : null}
        {photos.length > 0 ? (
          <Photos>
            {photos.map((p, i) => {
              const alt = t('chat.photoFrom', { n: i + 1, name: sender });
              return p.thumb ? (
                <Thumb key={p.key} type="button" onClick={() => p.full && onOpenPhoto(p.full, alt, p.id)}>
                  <img src={p.thumb} alt={alt} />
                </Thumb>
              ) : null;
            })}
          </Photos>
        ) : null}
        {entry.text ? <span>{entry.text}</span> : null}
      </Bubble>
      <Foot>
        {entry.mine && entry.status === 'sending' ? <span>{online ? t('chat.status.sending') : t('chat.failure.offline')}</span> : null}
        {entry.mine && entry.status === 'sent' ? <span>{t('chat.status.sent')}</span> : null}
        {entry.status === 'failed' ? (
          <Failed role="alert">
            {t('chat.status.failed')}
            {entry.failure ? ` — ${t(failureKey[entry.failure])}` : ''}
          </Failed>
        ) : null}
        {entry.status === 'failed' ? (
          <Button size="small" isBasic onClick={() => onRetry(entry.clientId)}>
            <Button.StartIcon>
              <RetryIcon />
            </Button.StartIcon>
            {t('chat.retry')}
          </Button>
        ) : null}
        {entry.id !== null ? (
          <Button size="small" isBasic aria-label={t('chat.replyTo', { name: sender })} onClick={() => onReply(entry)}>
            <Button.StartIcon>
              <ReplyIcon />
            </Button.StartIcon>
            {t('chat.reply')}
          </Button>
        ) : null}
      </Foot>
    </Item>
  );
}
