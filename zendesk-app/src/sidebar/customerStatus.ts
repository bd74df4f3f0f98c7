import { CustomerStage, SessionStatus, type SessionView } from '@live-assist/protocol';

/** What the sidebar's status line says about the customer, in the order of the journey. */
export const CustomerStatus = {
  waiting: 'waiting',
  openedLink: 'opened-link',
  consented: 'consented',
  permissions: 'permissions',
  inCall: 'in-call',
  disconnected: 'disconnected',
  left: 'left',
  ended: 'ended',
} as const;
export type CustomerStatus = (typeof CustomerStatus)[keyof typeof CustomerStatus];

export function customerStatusOf(session: SessionView): CustomerStatus {
  return customerStatusFrom({
    ended: session.status === SessionStatus.ended,
    stage: session.customerStage,
    connected: session.customerConnected,
  });
}

/** Shared by the sidebar (polled session) and the console (live `participant` frames). */
export function customerStatusFrom(input: { ended: boolean; stage: CustomerStage; connected: boolean }): CustomerStatus {
  if (input.ended) return CustomerStatus.ended;
  switch (input.stage) {
    case CustomerStage.waiting:
      return CustomerStatus.waiting;
    case CustomerStage.openedLink:
      return CustomerStatus.openedLink;
    case CustomerStage.consented:
      return CustomerStatus.consented;
    case CustomerStage.permissions:
      return CustomerStatus.permissions;
    case CustomerStage.inCall:
      // The stage sticks after a dropped connection; the live flag says whether they are still there.
      return input.connected ? CustomerStatus.inCall : CustomerStatus.disconnected;
    case CustomerStage.left:
      return CustomerStatus.left;
  }
}
