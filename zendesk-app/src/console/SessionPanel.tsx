import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { MD, SM } from '@zendeskgarden/react-typography';
import { CustomerStage } from '@live-assist/protocol';
import { CheckIcon } from '../components/icons';
import { useI18n } from '../i18n/i18n';

const Aside = styled.aside`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.lg};
  border-left: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.subtle' })};
  padding: ${(p) => p.theme.space.md};
  min-height: 0;
  overflow-y: auto;
`;

const Section = styled.section`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
`;

const Steps = styled.ol`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
  margin: 0;
  padding: 0;
  list-style: none;
`;

const Step = styled.li<{ $done: boolean }>`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
  color: ${(p) => getColor({ theme: p.theme, variable: p.$done ? 'foreground.default' : 'foreground.subtle' })};
`;

const Mark = styled.span<{ $done: boolean }>`
  display: inline-flex;
  flex: none;
  align-items: center;
  justify-content: center;
  border: ${(p) => p.theme.borders.sm}
    ${(p) => getColor({ theme: p.theme, variable: p.$done ? 'border.successEmphasis' : 'border.emphasis' })};
  border-radius: 50%;
  background: ${(p) => (p.$done ? getColor({ theme: p.theme, variable: 'background.successEmphasis' }) : 'transparent')};
  width: 20px;
  height: 20px;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.onEmphasis' })};
`;

const Subtle = styled(SM)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

const JOURNEY = [CustomerStage.openedLink, CustomerStage.consented, CustomerStage.permissions, CustomerStage.inCall] as const;
const ORDER: CustomerStage[] = [CustomerStage.waiting, ...JOURNEY];

function reached(current: CustomerStage, step: CustomerStage): boolean {
  // Someone who left had been through every step.
  if (current === CustomerStage.left) return true;
  return ORDER.indexOf(current) >= ORDER.indexOf(step);
}

/** The right-hand column: the customer's progress and the session facts. */
export function SessionPanel({ stage, expiresAt }: { stage: CustomerStage | null; expiresAt: string | null }) {
  const { t, formatTime } = useI18n();
  return (
    <Aside aria-label={t('console.session')}>
      <Section>
        <MD isBold tag="h2">
          {t('console.journey')}
        </MD>
        <Steps>
          {JOURNEY.map((step) => {
            const done = stage !== null && reached(stage, step);
            return (
              <Step key={step} $done={done} data-done={done}>
                <Mark $done={done} aria-hidden="true">
                  {done ? <CheckIcon width={12} height={12} /> : null}
                </Mark>
                {t(`journey.${step}`)}
              </Step>
            );
          })}
        </Steps>
        {expiresAt ? <Subtle>{t('console.expires', { time: formatTime(expiresAt) })}</Subtle> : null}
      </Section>
      {/* Seam: the chat with the customer takes the rest of this column. */}
    </Aside>
  );
}
