import { CustomerStage, LocationOutcome, type CustomerLocation } from '@live-assist/protocol';
import type { MessageKey } from '../i18n/i18n';

/** One row of the customer's progress in the console: what happened at each step. */
export const StepState = { pending: 'pending', done: 'done', skipped: 'skipped', failed: 'failed' } as const;
export type StepState = (typeof StepState)[keyof typeof StepState];

export type JourneyStep = { id: 'opened' | 'consented' | 'location' | 'camera' | 'in-call'; state: StepState; label: MessageKey };

const ORDER: CustomerStage[] = [
  CustomerStage.waiting,
  CustomerStage.openedLink,
  CustomerStage.consented,
  CustomerStage.permissions,
  CustomerStage.inCall,
];

function reached(stage: CustomerStage, step: CustomerStage): boolean {
  // Someone who left had been through every step.
  if (stage === CustomerStage.left) return true;
  return ORDER.indexOf(stage) >= ORDER.indexOf(step);
}

const LOCATION_LABEL: Record<LocationOutcome, MessageKey> = {
  [LocationOutcome.shared]: 'progress.location.shared',
  [LocationOutcome.declined]: 'progress.location.declined',
  [LocationOutcome.denied]: 'progress.location.denied',
  [LocationOutcome.timeout]: 'progress.location.timeout',
  [LocationOutcome.unavailable]: 'progress.location.unavailable',
};

/** `media-error:<kind>` from the customer's `stage` frame: why the camera did not start. */
export function mediaErrorOf(detail: string | undefined): string | null {
  return detail?.startsWith('media-error:') ? detail.slice('media-error:'.length) : null;
}

/** `in-app-browser:<app>`: the customer opened the link inside another app's webview. */
export function inAppBrowserOf(detail: string | undefined): string | null {
  return detail?.startsWith('in-app-browser:') ? detail.slice('in-app-browser:'.length) : null;
}

export function journeyProgress(input: {
  stage: CustomerStage | null;
  stageDetail?: string;
  connected: boolean;
  location: CustomerLocation | null;
}): JourneyStep[] {
  const stage = input.stage ?? CustomerStage.waiting;
  const done = (ok: boolean): StepState => (ok ? StepState.done : StepState.pending);
  const mediaError = stage === CustomerStage.permissions ? mediaErrorOf(input.stageDetail) : null;
  const inCall = stage === CustomerStage.inCall;
  const location = input.location;
  return [
    { id: 'opened', state: done(reached(stage, CustomerStage.openedLink)), label: 'journey.opened-link' },
    { id: 'consented', state: done(reached(stage, CustomerStage.consented)), label: 'journey.consented' },
    {
      id: 'location',
      state: !location ? StepState.pending : location.outcome === LocationOutcome.shared ? StepState.done : StepState.skipped,
      label: location ? LOCATION_LABEL[location.outcome] : 'progress.location.pending',
    },
    {
      id: 'camera',
      state: mediaError ? StepState.failed : done(reached(stage, CustomerStage.inCall)),
      label: mediaError === 'denied' ? 'progress.camera.denied' : mediaError ? 'progress.camera.failed' : 'journey.permissions',
    },
    { id: 'in-call', state: done(inCall && input.connected), label: 'journey.in-call' },
  ];
}
