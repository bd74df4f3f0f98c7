import type { InviteSent } from '@live-assist/protocol';
import { RelayApiError, type SidebarApi } from '../api/relayApi';
import { Store } from '../store/store';

export const DeliveryProblem = {
  failed: 'failed',
  badNumber: 'bad-number',
  tooMany: 'too-many',
  ended: 'ended',
  /** The relay's Twilio account cannot send there (Geo Permissions, sender, trial account). */
  misconfigured: 'misconfigured',
} as const;
export type DeliveryProblem = (typeof DeliveryProblem)[keyof typeof DeliveryProblem];

export type InviteDeliveryState = {
  /** Whether the relay can send SMS (Twilio Messaging configured). */
  smsAvailable: boolean;
  busy: 'requester' | 'sms' | null;
  sentToRequester: InviteSent | null;
  sentSms: InviteSent | null;
  problem: { channel: 'requester' | 'sms'; kind: DeliveryProblem } | null;
};

const INITIAL: InviteDeliveryState = { smsAvailable: false, busy: null, sentToRequester: null, sentSms: null, problem: null };

/** Sending the invite link: as a public ticket comment to the requester, or by SMS. */
export class InviteDeliveryStore {
  readonly state = new Store<InviteDeliveryState>(INITIAL);
  private sessionId: string | null = null;
  private disposed = false;

  constructor(private readonly api: Pick<SidebarApi, 'deliveryOptions' | 'sendToRequester' | 'sendSms'>) {}

  async loadOptions(): Promise<void> {
    try {
      const options = await this.api.deliveryOptions();
      if (!this.disposed) this.state.update({ smsAvailable: options.sms });
    } catch {
      // Without the answer SMS stays hidden; the other ways still work.
    }
  }

  /** A different session forgets what was sent for the previous one. */
  follow(sessionId: string | null): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.state.update({ busy: null, sentToRequester: null, sentSms: null, problem: null });
  }

  async sendToRequester(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId || this.state.get().busy) return;
    this.state.update({ busy: 'requester', problem: null });
    try {
      const sent = await this.api.sendToRequester(sessionId);
      if (this.current(sessionId)) this.state.update({ busy: null, sentToRequester: sent });
    } catch (err) {
      if (this.current(sessionId)) this.state.update({ busy: null, problem: { channel: 'requester', kind: problemOf(err) } });
    }
  }

  /** The number must be the one the agent confirmed on screen. */
  async sendSms(phoneNumber: string): Promise<boolean> {
    const sessionId = this.sessionId;
    if (!sessionId || this.state.get().busy) return false;
    this.state.update({ busy: 'sms', problem: null });
    try {
      const sent = await this.api.sendSms(sessionId, phoneNumber);
      if (this.current(sessionId)) this.state.update({ busy: null, sentSms: sent });
      return true;
    } catch (err) {
      if (this.current(sessionId)) this.state.update({ busy: null, problem: { channel: 'sms', kind: problemOf(err) } });
      return false;
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private current(sessionId: string): boolean {
    return !this.disposed && this.sessionId === sessionId;
  }
}

function problemOf(err: unknown): DeliveryProblem {
  if (err instanceof RelayApiError) {
    if (err.code === 'sms-misconfigured') return DeliveryProblem.misconfigured;
    if (err.status === 422 || err.status === 400) return DeliveryProblem.badNumber;
    if (err.status === 429) return DeliveryProblem.tooMany;
    if (err.status === 410) return DeliveryProblem.ended;
  }
  return DeliveryProblem.failed;
}

/** The same rule the relay applies (protocol PhoneNumberSchema): `+` and 8–15 digits. */
export function normalizePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : null;
}
