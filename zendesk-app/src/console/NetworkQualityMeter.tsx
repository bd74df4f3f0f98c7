import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import type { NetworkQuality } from '@live-assist/client-core';
import en from '../i18n/en.json';
import { useI18n, type MessageKey } from '../i18n/i18n';

const Group = styled.div`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
  white-space: nowrap;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

const Side = styled.span`
  display: inline-flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs};
`;

const Bars = styled.span`
  display: inline-flex;
  align-items: flex-end;
  gap: 1px;
  height: 12px;
`;

const Bar = styled.span<{ $height: number; $on: boolean; $level: number }>`
  width: 3px;
  height: ${(p) => p.$height}px;
  border-radius: 1px;
  background: ${(p) =>
    getColor({
      theme: p.theme,
      variable: !p.$on
        ? 'border.default'
        : p.$level <= 1
          ? 'foreground.danger'
          : p.$level <= 2
            ? 'foreground.warning'
            : 'foreground.success',
    })};
`;

const LEVELS = [1, 2, 3, 4, 5] as const;

function Level({ label, level, testId }: { label: string; level: number | null; testId: string }) {
  const { t } = useI18n();
  const value = level === null ? t('twilio.quality.unknown') : t('twilio.quality.value', { level });
  return (
    // The bars are decoration; the text says the same for screen readers and tests.
    <Side data-testid={testId} data-level={level ?? ''}>
      <span>{label}</span>
      <Bars aria-hidden="true">
        {LEVELS.map((n) => (
          <Bar key={n} $height={2 + n * 2} $on={level !== null && n <= level} $level={level ?? 0} />
        ))}
      </Bars>
      <span>{value}</span>
    </Side>
  );
}

/** Twilio's 0–5 network quality of the specialist and the customer. */
export function NetworkQualityMeter({ quality }: { quality: NetworkQuality }) {
  const { t } = useI18n();
  return (
    <Group role="group" aria-label={t('twilio.quality.label')} data-testid="network-quality">
      <Level label={t('twilio.quality.you')} level={quality.local} testId="network-quality-local" />
      <Level label={t('twilio.quality.customer')} level={quality.remote} testId="network-quality-remote" />
    </Group>
  );
}

/** A media-engine error key (`twilio.room-full` …) as a message key; unknown ones read as the generic text. */
export function callErrorMessage(key: string): MessageKey {
  return key in en ? (key as MessageKey) : 'twilio.generic';
}
