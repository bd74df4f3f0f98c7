/**
 * What the sidebar shows for a state, as plain data (render.js turns it into elements): the same
 * screens as the Zendesk sidebar — start, the invite with its actions, the live status, the end.
 */
const STAGE_KEYS = {
  waiting: 'status.waiting',
  'opened-link': 'status.opened-link',
  consented: 'status.consented',
  permissions: 'status.permissions',
  left: 'status.left',
};

export function customerStatusKey(session) {
  if (session.status === 'ended') return 'status.ended';
  if (session.customerStage === 'in-call') return session.customerConnected ? 'status.in-call' : 'status.disconnected';
  return STAGE_KEYS[session.customerStage] || 'status.waiting';
}

export function noteLine(note, t, time) {
  if (!note || note.state === 'none') return null;
  switch (note.state) {
    case 'done':
      return { tone: 'success', text: t('writeback.note.done') };
    case 'failed':
      return { tone: 'danger', text: t('writeback.note.failed', { error: note.lastError || '' }) };
    case 'retrying':
      return { tone: 'warning', text: t('writeback.note.retrying', { time: time(note.nextAttemptAt), attempts: note.attempts }) };
    default:
      return { tone: 'muted', text: t('writeback.note.pending') };
  }
}

function activeView(state, t, time) {
  const { session } = state;
  return {
    screen: 'active',
    status: t(customerStatusKey(session)),
    inviteUrl: session.inviteUrl,
    inviteHint: t('sidebar.inviteHint', { time: time(session.expiresAt) }),
    sent: state.sentAt ? t('invite.sentAsReply', { time: time(state.sentAt) }) : null,
    showQr: state.showQr,
    confirmEnd: state.confirmEnd,
    busy: state.busy,
    // The console is the seat holder's; anyone else sees who is in the call.
    heldBy: session.seat && !session.seat.yours ? t('sidebar.seat.heldBy', { name: session.seat.holder }) : null,
    consoleLink: state.consoleLink,
  };
}

function endedView(state, t, time) {
  return {
    screen: 'ended',
    status: t('sidebar.endedAt', { time: time(state.session.endedAt || state.session.createdAt) }),
    note: noteLine(state.note, t, time),
    busy: state.busy,
  };
}

export function viewOf(state, t, time) {
  if (state.problem) return { screen: 'problem', text: state.problem, canRetry: state.phase !== 'signed-out' };
  if (state.phase === 'loading') return { screen: 'loading', text: t('app.loading') };
  if (!state.session) return { screen: 'idle', text: t('sidebar.intro'), busy: state.busy };
  return state.session.status === 'ended' ? endedView(state, t, time) : activeView(state, t, time);
}

/** The message for a failed relay call, by the relay's error code, else by what was being done. */
export function problemText(error, doing, t) {
  const byCode = {
    'ticket-forbidden': 'sidebar.problem.ticketForbidden',
    'ticket-not-found': 'sidebar.problem.ticketNotFound',
    unauthorized: 'app.signedOut',
    network: 'sidebar.problem.offline',
  };
  const byAction = {
    load: 'sidebar.problem.load',
    start: 'sidebar.problem.start',
    end: 'sidebar.problem.end',
    invite: 'invite.sendFailed',
    openConsole: 'sidebar.problem.openConsole',
  };
  return t(byCode[error && error.code] || byAction[doing] || 'sidebar.problem.load');
}
