import { useCallback, useEffect, useMemo, useState } from 'react';
import { useServices } from '../appServices';
import { ConsoleView } from '../console/ConsoleView';
import { useConsoleSession } from '../console/useConsoleSession';
import { browserConsoleDeps } from '../console/wiring';
import { Store } from '../store/store';
import { useStore } from '../store/useStore';
import type { ConsoleState } from '../console/consoleSession';
import { useClient } from '../zaf/ClientProvider';
import { getTicketIdForModal } from '../zaf/zafData';

const EMPTY = new Store<ConsoleState | null>(null);

/** The specialist console, opened as a ZAF modal from the ticket sidebar. */
export default function SpecialistConsole() {
  const client = useClient();
  const { api, boot } = useServices();
  const [ticketId, setTicketId] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const parentGuid = new URLSearchParams(window.location.search).get('parent_guid');
    getTicketIdForModal(client, parentGuid).then(
      (id) => !cancelled && setTicketId(id),
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [client, attempt]);

  const deps = useMemo(() => browserConsoleDeps(api, boot.relayUrl), [api, boot.relayUrl]);
  const session = useConsoleSession(deps, ticketId, attempt);
  const state = useStore(session?.state ?? EMPTY);

  const onEnd = useCallback(() => void session?.end(), [session]);
  const onClose = useCallback(() => {
    client.invoke('destroy').catch(() => {
      // Hosts without `destroy` keep the modal; its own close button still works.
    });
  }, [client]);
  const onRetry = useCallback(() => {
    setFailed(false);
    setAttempt((n) => n + 1);
  }, []);

  return (
    <ConsoleView
      ticketId={ticketId}
      state={failed ? TICKET_FAILED : state}
      onEnd={onEnd}
      onClose={onClose}
      onRetry={onRetry}
    />
  );
}

/** The modal could not learn its ticket from the helpdesk. */
const TICKET_FAILED: ConsoleState = {
  phase: 'failed',
  session: null,
  customer: null,
  socket: 'idle',
  call: 'idle',
  ownMedia: 'pending',
  localStream: null,
  remoteStream: null,
  ending: false,
  problem: 'load',
};
