import { useCallback, useEffect, useMemo, useState } from 'react';
import { useServices } from '../appServices';
import { ConsoleView } from '../console/ConsoleView';
import { AnnotationControls, AnnotationSurface, useConsoleAnnotations } from '../console/annotations';
import { ConsoleChat } from '../console/chat/ConsoleChat';
import { useConsoleChat, usePhotoDownload } from '../console/chat/useConsoleChat';
import { useConsoleSession } from '../console/useConsoleSession';
import { browserConsoleDeps } from '../console/wiring';
import { Store } from '../store/store';
import { useStore } from '../store/useStore';
import type { ConsoleState } from '../console/consoleSession';
import { useAppContext, useClient } from '../zaf/ClientProvider';
import { receiveConsoleTicket } from '../zaf/zafData';

const EMPTY = new Store<ConsoleState | null>(null);

/** The specialist console, opened as a ZAF modal from the ticket sidebar. */
export default function SpecialistConsole() {
  const client = useClient();
  const { instanceGuid } = useAppContext();
  const { api, boot } = useServices();
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

  const deps = useMemo(() => browserConsoleDeps(api, boot.relayUrl), [api, boot.relayUrl]);
  const session = useConsoleSession(deps, ticketId, attempt, observe);
  const state = useStore(session?.state ?? EMPTY);
  const observing = state?.observing ?? false;

  // The socket appears once the session is found; read it on every render so the chat follows it.
  const relaySocket = session?.relaySocket ?? null;
  const view = state?.session ?? null;
  // An observer reads the chat over its own socket; its token is never used to send or upload.
  const token = session?.watchToken ?? view?.specialistToken ?? null;
  const chatSource = useMemo(
    () =>
      relaySocket && view && token
        ? { socket: relaySocket, sessionId: view.sessionId, specialistToken: token, relayUrl: boot.relayUrl }
        : null,
    [relaySocket, view, token, boot.relayUrl],
  );
  const chatStore = useConsoleChat(chatSource);
  const downloadPhoto = usePhotoDownload(observing ? null : chatSource);
  const annotations = useConsoleAnnotations(session, state, boot.relayUrl);

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
      chat={
        ticketId !== null && !failed ? (
          <ConsoleChat store={chatStore} onDownload={observing ? null : downloadPhoto} readOnly={observing} />
        ) : null
      }
      annotations={
        annotations && !failed
          ? {
              overlay: <AnnotationSurface annotations={annotations} readOnly={observing} />,
              // An observer has no tools: drawing, freezing and snapshots belong to the seat.
              toolbar: observing ? null : <AnnotationControls annotations={annotations} disabled={!state?.customer?.connected} />,
            }
          : undefined
      }
    />
  );
}

/** The modal could not learn its ticket from the helpdesk. */
const TICKET_FAILED: ConsoleState = {
  phase: 'failed',
  session: null,
  customer: null,
  location: null,
  socket: 'idle',
  call: 'idle',
  ownMedia: 'pending',
  localStream: null,
  remoteStream: null,
  ending: false,
  problem: 'load',
  networkQuality: null,
  callError: null,
  observers: [],
  observing: false,
};
