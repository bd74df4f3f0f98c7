import { useCallback, useEffect, useState } from 'react';
import { ConsoleScreen } from '../console/ConsoleScreen';
import { useAppContext, useClient } from '../zaf/ClientProvider';
import { receiveConsoleTicket } from '../zaf/zafData';

/** The specialist console, opened as a ZAF modal from the ticket sidebar. */
export default function SpecialistConsole() {
  const client = useClient();
  const { instanceGuid } = useAppContext();
  const [ticketId, setTicketId] = useState<number | null>(null);
  const [observe, setObserve] = useState(false);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    // Only the sidebar that opened this modal knows its ticket (see ConsoleOpener).
    receiveConsoleTicket(client, instanceGuid).then(
      (ticket) => {
        if (cancelled) return;
        setObserve(ticket.observe);
        setTicketId(ticket.ticketId);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [client, instanceGuid, attempt]);

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
    <ConsoleScreen ticketId={ticketId} observe={observe} ticketFailed={failed} attempt={attempt} onRetry={onRetry} onClose={onClose} />
  );
}
