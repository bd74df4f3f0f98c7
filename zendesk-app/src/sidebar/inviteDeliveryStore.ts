import type { InviteReply, InviteSent, SmsStatusView } from '@live-assist/protocol';
import { RelayApiError, type SidebarApi } from '../api/relayApi';
import { Store } from '../store/store';
import type { Timers } from './sidebarStore';

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A handset that is off can take hours; after ten minutes of "sent" the agent will have moved on. */
const MAX_STATUS_POLLS = 200;

export const DeliveryProblem = {
  failed: 'failed',
  badNumber: 'bad-number',
  tooMany: 'too-many',
  ended: 'ended',
  /** The relay's Twilio account cannot send there (Geo Permissions, sender, trial account). */
  misconfigured: 'misconfigured',
} as const;
export type DeliveryProblem = (typeof DeliveryProblem)[keyof typeof DeliveryProblem];

/** The agent's reply editor on the ticket (ZAF `ticket.comment.append*`). */
export interface ReplyEditor {
  /**
   * Whether the ticket is a messaging conversation (Web Widget, WhatsApp…), where a public comment
   * from the API does not reach the customer.
   */
  messaging(): Promise<boolean>;
  insert(reply: InviteReply, messaging: boolean): Promise<void>;
}

export type InviteDeliveryState = {
  /** Whether the relay can send SMS (Twilio Messaging configured). */
  smsAvailable: boolean;
  /** A messaging ticket: the link goes into the agent's reply, the only way that reaches the customer. */
  messaging: boolean;
  busy: 'requester' | 'sms' | 'reply' | null;
  /** When the link was last put into the agent's reply (not sent yet: the agent sends the reply). */
  insertedIntoReply: number | null;
  sentToRequester: InviteSent | null;
  sentSms: InviteSent | null;
  /** What Twilio reported about the last SMS (sent → delivered or failed), polled after sending. */
  smsStatus: SmsStatusView['sms'];
  problem: { channel: 'requester' | 'sms' | 'reply'; kind: DeliveryProblem } | null;
};

const INITIAL: InviteDeliveryState = {
  smsAvailable: false,
  messaging: false,
  busy: null,
  insertedIntoReply: null,
  sentToRequester: null,
  sentSms: null,
  smsStatus: null,
  problem: null,
};

/** Sending the invite link: as a public ticket comment to the requester, or by SMS. */
export class InviteDeliveryStore {
  readonly state = new Store<InviteDeliveryState>(INITIAL);
  private sessionId: string | null = null;
  private disposed = false;
  /** The number the agent confirmed last, for "Resend" (kept here only, never shown in full). */
  private lastPhone: string | null = null;
  private pollHandle: unknown = null;
  private polls = 0;
  private readonly pollMs: number;
  private readonly timers: Timers;
  private readonly editor: ReplyEditor | null;

  constructor(
    private readonly api: Pick<SidebarApi, 'deliveryOptions' | 'sendToRequester' | 'sendSms' | 'smsStatus' | 'inviteReply'>,
    options: { pollMs?: number; timers?: Timers; editor?: ReplyEditor | null } = {},
  ) {
    this.editor = options.editor ?? null;
    this.pollMs = options.pollMs ?? 3000;
    this.timers = options.timers ?? realTimers;
  }

  async loadOptions(): Promise<void> {
    const messaging = this.editor?.messaging().catch(() => false);
    try {
      const options = await this.api.deliveryOptions();
      if (!this.disposed) this.state.update({ smsAvailable: options.sms });
    } catch {
      // Without the answer SMS stays hidden; the other ways still work.
    }
    if ((await messaging) && !this.disposed) this.state.update({ messaging: true });
  }

  /** Puts the invite, in the requester's language, into the agent's reply; the agent sends it. */
  async insertIntoReply(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId || !this.editor || this.state.get().busy) return;
    this.state.update({ busy: 'reply', problem: null });
    try {
      const reply = await this.api.inviteReply(sessionId);
      if (!this.current(sessionId)) return;
      await this.editor.insert(reply, this.state.get().messaging);
      if (this.current(sessionId)) this.state.update({ busy: null, insertedIntoReply: Date.now() });
    } catch (err) {
      if (this.current(sessionId)) this.state.update({ busy: null, problem: { channel: 'reply', kind: problemOf(err) } });
    }
  }

  /** A different session forgets what was sent for the previous one. */
  follow(sessionId: string | null): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.lastPhone = null;
    this.stopPolling();
    this.state.update({ busy: null, insertedIntoReply: null, sentToRequester: null, sentSms: null, smsStatus: null, problem: null });
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
      if (!this.current(sessionId)) return true;
      this.lastPhone = phoneNumber;
      this.state.update({
        busy: null,
        sentSms: sent,
        smsStatus: { state: 'sent', to: sent.to ?? '', sentAt: sent.sentAt, errorCode: null },
      });
      this.stopPolling();
      this.polls = 0;
      this.schedulePoll(sessionId);
      return true;
    } catch (err) {
      if (this.current(sessionId)) this.state.update({ busy: null, problem: { channel: 'sms', kind: problemOf(err) } });
      return false;
    }
  }

  /** Sends the last SMS again, to the number the agent confirmed for it. */
  async resendSms(): Promise<boolean> {
    return this.lastPhone ? this.sendSms(this.lastPhone) : false;
  }

  dispose(): void {
    this.disposed = true;
    this.stopPolling();
  }

  private schedulePoll(sessionId: string): void {
    if (!this.current(sessionId) || this.state.get().smsStatus?.state !== 'sent' || ++this.polls > MAX_STATUS_POLLS) return;
    this.pollHandle = this.timers.setTimeout(() => {
      this.pollHandle = null;
      void this.pollStatus(sessionId);
    }, this.pollMs);
  }

  private async pollStatus(sessionId: string): Promise<void> {
    try {
      const { sms } = await this.api.smsStatus(sessionId);
      // A resend in flight answers for itself; a stale poll must not show the previous message.
      if (this.current(sessionId) && sms && sms.sentAt === this.state.get().sentSms?.sentAt) this.state.update({ smsStatus: sms });
    } catch {
      // Keep "sent"; the next tick asks again.
    }
    if (this.pollHandle === null) this.schedulePoll(sessionId);
  }

  private stopPolling(): void {
    if (this.pollHandle !== null) this.timers.clearTimeout(this.pollHandle);
    this.pollHandle = null;
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
