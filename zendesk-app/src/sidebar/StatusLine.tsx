import styled, { css, keyframes } from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { CustomerStatus } from './customerStatus';
import { useI18n } from '../i18n/i18n';

const pulse = keyframes`
  0% { box-shadow: 0 0 0 0 currentColor; }
  70% { box-shadow: 0 0 0 6px transparent; }
  100% { box-shadow: 0 0 0 0 transparent; }
`;

type Tone = 'neutral' | 'progress' | 'live' | 'warning';

const toneOf: Record<CustomerStatus, Tone> = {
  [CustomerStatus.waiting]: 'neutral',
  [CustomerStatus.openedLink]: 'progress',
  [CustomerStatus.consented]: 'progress',
  [CustomerStatus.permissions]: 'progress',
  [CustomerStatus.inCall]: 'live',
  [CustomerStatus.disconnected]: 'warning',
  [CustomerStatus.left]: 'warning',
  [CustomerStatus.ended]: 'neutral',
};

const hueOf: Record<Tone, 'neutralHue' | 'primaryHue' | 'successHue' | 'warningHue'> = {
  neutral: 'neutralHue',
  progress: 'primaryHue',
  live: 'successHue',
  warning: 'warningHue',
};

const Row = styled.div`
  display: flex;
  align-items: baseline;
  gap: ${(p) => p.theme.space.xs};
  min-height: ${(p) => p.theme.lineHeights.md};
  font-size: ${(p) => p.theme.fontSizes.md};
  line-height: ${(p) => p.theme.lineHeights.md};
`;

const Dot = styled.span<{ $tone: Tone }>`
  flex: none;
  /* Centred on the first line of text, which may wrap. */
  transform: translateY(-1px);
  border-radius: 50%;
  width: 8px;
  height: 8px;
  color: ${(p) => getColor({ theme: p.theme, hue: hueOf[p.$tone], shade: 600 })};
  background: currentColor;
  ${(p) =>
    p.$tone === 'live' &&
    css`
      animation: ${pulse} 2s infinite;
      @media (prefers-reduced-motion: reduce) {
        animation: none;
      }
    `}
`;

const Text = styled.span`
  font-weight: ${(p) => p.theme.fontWeights.semibold};
`;

/** One live line: where the customer is in the journey. */
export function StatusLine({ status, detail }: { status: CustomerStatus; detail?: string }) {
  const { t } = useI18n();
  return (
    <Row role="status" aria-live="polite" data-testid="customer-status" data-status={status}>
      <Dot $tone={toneOf[status]} aria-hidden="true" />
      <Text>{t(`status.${status}`)}</Text>
      {/* The ticking duration stays out of the live region's announcements. */}
      {detail ? <Detail aria-live="off">{detail}</Detail> : null}
    </Row>
  );
}

const Detail = styled.span`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-variant-numeric: tabular-nums;
`;
