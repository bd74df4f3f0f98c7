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
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    // Only the sidebar that opened this modal knows its ticket (see ConsoleOpener).
    receiveConsoleTicket(client, instanceGuid).then(
      (id) => !cancelled && setTicketId(id),
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [client, instanceGuid, attempt]);

  const deps = useMemo(() => browserConsoleDeps(api, boot.relayUrl), [api, boot.relayUrl]);
  const session = useConsoleSession(deps, ticketId, attempt);
  const state = useStore(session?.state ?? EMPTY);

  // The socket appears once the session is found; read it on every render so the chat follows it.
  const relaySocket = session?.relaySocket ?? null;
  const view = state?.session ?? null;
  const chatSource = useMemo(
    () =>
      relaySocket && view?.specialistToken
        ? { socket: relaySocket, sessionId: view.sessionId, specialistToken: view.specialistToken, relayUrl: boot.relayUrl }
        : null,
    [relaySocket, view, boot.relayUrl],
  );
  const chatStore = useConsoleChat(chatSource);
  const downloadPhoto = usePhotoDownload(chatSource);
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
      chat={ticketId !== null && !failed ? <ConsoleChat store={chatStore} onDownload={downloadPhoto} /> : null}
      annotations={
        annotations && !failed
          ? {
              overlay: <AnnotationSurface annotations={annotations} />,
              toolbar: (
                <AnnotationControls annotations={annotations} disabled={!state?.customer?.connected} />
              ),
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
