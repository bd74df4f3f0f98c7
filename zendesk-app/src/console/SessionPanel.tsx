import { useId, useState } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { getColor } from '@zendeskgarden/react-theming';
import { MD, SM } from '@zendeskgarden/react-typography';
import { CustomerStage, type CustomerLocation } from '@live-assist/protocol';
import { CheckIcon } from '../components/icons';
import { useI18n } from '../i18n/i18n';
import { inAppBrowserOf, journeyProgress, StepState } from './journeyProgress';
import { LocationCard } from './LocationCard';

const MARK_BORDER: Record<StepState, string> = {
  pending: 'border.emphasis',
  done: 'border.successEmphasis',
  skipped: 'border.emphasis',
  failed: 'border.dangerEmphasis',
};
const MARK_FILL: Record<StepState, string | null> = {
  pending: null,
  done: 'background.successEmphasis',
  skipped: null,
  failed: 'background.dangerEmphasis',
};

const Aside = styled.aside`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.lg};
  border-left: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.subtle' })};
  padding: ${(p) => p.theme.space.md};
  min-height: 0;
  overflow-y: auto;

  &:focus-visible {
    outline: 2px solid ${(p) => getColor({ theme: p.theme, variable: 'border.primaryEmphasis' })};
    outline-offset: -2px;
  }
`;

const Section = styled.section`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
`;

const Toggle = styled(Button)`
  align-self: flex-start;
`;

const Steps = styled.ol`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;
  padding: 0;
  list-style: none;

  /* Its display would otherwise win over the attribute. */
  &[hidden] {
    display: none;
  }
`;

const Step = styled.li<{ $done: boolean }>`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
  color: ${(p) => getColor({ theme: p.theme, variable: p.$done ? 'foreground.default' : 'foreground.subtle' })};
`;

const Mark = styled.span<{ $state: StepState }>`
  display: inline-flex;
  flex: none;
  align-items: center;
  justify-content: center;
  border: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: MARK_BORDER[p.$state] })};
  border-radius: 50%;
  background: ${(p) => {
    const fill = MARK_FILL[p.$state];
    return fill ? getColor({ theme: p.theme, variable: fill }) : 'transparent';
  }};
  font-weight: ${(p) => p.theme.fontWeights.bold};
  font-size: ${(p) => p.theme.fontSizes.sm};
  width: 20px;
  height: 20px;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.onEmphasis' })};
`;

const Subtle = styled(SM)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

/** The right-hand column: the customer's progress, their location and the session facts. */
export function SessionPanel({
  stage,
  stageDetail,
  connected,
  location,
  expiresAt,
  observers = [],
}: {
  stage: CustomerStage | null;
  stageDetail?: string;
  connected: boolean;
  location: CustomerLocation | null;
  expiresAt: string | null;
  /** Other agents watching the call; the customer sees them too. */
  observers?: string[];
}) {
  const { t, formatTime } = useI18n();
  const steps = journeyProgress({ stage, stageDetail, connected, location });
  const inApp = stage === CustomerStage.permissions ? inAppBrowserOf(stageDetail) : null;
  // Once the customer is in the call the steps are history: they fold to one line so what matters
  // during the call (where the customer is) shows without scrolling. The agent can open them.
  const joined = steps.at(-1)?.state === StepState.done;
  const [unfolded, setUnfolded] = useState<boolean | null>(null);
  const expanded = unfolded ?? !joined;
  const listId = useId();
  const progress = (
    <Section>
      <MD isBold tag="h2">
        {t('console.journey')}
      </MD>
      {joined && !expanded ? <Subtle tag="p">{t('console.journeyDone')}</Subtle> : null}
      <Steps id={listId} data-testid="journey-steps" hidden={!expanded}>
        {steps.map((step) => {
          const done = step.state === StepState.done;
          return (
            <Step key={step.id} $done={step.state !== StepState.pending} data-step={step.id} data-state={step.state}>
              <Mark $state={step.state} aria-hidden="true">
                {done ? <CheckIcon width={12} height={12} /> : step.state === StepState.failed ? '!' : null}
              </Mark>
              {t(step.label)}
            </Step>
          );
        })}
      </Steps>
      {inApp ? <Subtle data-testid="in-app-browser">{t('progress.inApp', { app: inApp })}</Subtle> : null}
      {expiresAt && expanded ? <Subtle>{t('console.expires', { time: formatTime(expiresAt) })}</Subtle> : null}
      {joined ? (
        <Toggle isLink size="small" aria-expanded={expanded} aria-controls={listId} onClick={() => setUnfolded(!expanded)}>
          {expanded ? t('console.hideSteps') : t('console.showSteps')}
        </Toggle>
      ) : null}
    </Section>
  );
  const whereabouts = <LocationCard location={location} />;
  return (
    // Focusable: on a short screen the panel scrolls, and without a link in it a keyboard could not.
    <Aside aria-label={t('console.session')} tabIndex={0}>
      {joined ? (
        <>
          {whereabouts}
          {progress}
        </>
      ) : (
        <>
          {progress}
          {whereabouts}
        </>
      )}
      {observers.length > 0 ? (
        <Subtle tag="p" data-testid="observers">
          {t('console.observers', { names: observers.join(', ') })}
        </Subtle>
      ) : null}
      {/* Seam: the chat with the customer takes the rest of this column. */}
    </Aside>
  );
}
