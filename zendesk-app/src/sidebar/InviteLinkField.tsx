import { useRef } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Input } from '@zendeskgarden/react-forms';
import { CheckIcon, CopyIcon } from '../components/icons';
import { CopyState, useCopy } from '../hooks/useCopy';
import { useI18n } from '../i18n/i18n';

const Actions = styled.div`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
  margin-top: ${(p) => p.theme.space.xs};
`;

const Feedback = styled.span<{ $failed: boolean }>`
  display: inline-flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs};
  color: ${(p) => getColor({ theme: p.theme, variable: p.$failed ? 'foreground.danger' : 'foreground.success' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

export function InviteLinkField({ url, expiresAt }: { url: string; expiresAt: string }) {
  const { t, formatTime } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const { state, copy } = useCopy(input);
  return (
    <Field>
      <Field.Label>{t('sidebar.inviteLink')}</Field.Label>
      <Field.Hint>{t('sidebar.inviteHint', { time: formatTime(expiresAt) })}</Field.Hint>
      <Input ref={input} readOnly value={url} isCompact onFocus={(e) => e.currentTarget.select()} />
      <Actions>
        <Button size="small" onClick={() => void copy(url)}>
          <Button.StartIcon>
            <CopyIcon />
          </Button.StartIcon>
          {t('sidebar.copyLink')}
        </Button>
        <span role="status" aria-live="polite">
          {state === CopyState.idle ? null : (
            <Feedback $failed={state === CopyState.failed}>
              {state === CopyState.copied ? <CheckIcon /> : null}
              {state === CopyState.copied ? t('sidebar.copied') : t('sidebar.copyFailed')}
            </Feedback>
          )}
        </span>
      </Actions>
    </Field>
  );
}
