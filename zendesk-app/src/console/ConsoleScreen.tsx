import { useCallback, useMemo } from 'react';
import { useServices } from '../appServices';
import { Store } from '../store/store';
import { useStore } from '../store/useStore';
import { AnnotationControls, AnnotationSurface, useConsoleAnnotations, useFrozen } from './annotations';
import { CameraControls, useConsoleCamera, useFocusPick } from './camera';
import { ConsoleChat } from './chat/ConsoleChat';
import { useConsoleChat, usePhotoDownload } from './chat/useConsoleChat';
import { ConsoleView } from './ConsoleView';
import { NameplatePanel, PlateBoxLayer, useConsoleNameplate, usePlateOpen, useReadTextTool } from './nameplate';
import type { ConsoleState } from './consoleSession';
import { useConsoleSession } from './useConsoleSession';
import { browserConsoleDeps } from './wiring';

const EMPTY = new Store<ConsoleState | null>(null);

export type ConsoleScreenProps = {
  /** The ticket whose newest session this console runs; null while it is being learned. */
  ticketId: number | null;
  observe: boolean;
  /** The host could not say which ticket (the screen offers to try again). */
  ticketFailed: boolean;
  /** Bumped by a retry: the session is looked up again. */
  attempt: number;
  onRetry: () => void;
  onClose: () => void;
};

/**
 * The specialist console, wherever it is hosted: a Zendesk modal (SpecialistConsole) or a browser
 * tab of its own (console-tab/). The host says which ticket and how to close.
 */
export function ConsoleScreen({ ticketId, observe, ticketFailed, attempt, onRetry, onClose }: ConsoleScreenProps) {
  const { api, boot } = useServices();
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
  const camera = useConsoleCamera(session, state);
  // "Focus here" armed: the next click on the picture goes to the camera, not the drawing tools.
  const focusPick = useFocusPick(camera);
  // Read text on a frozen still (the seat's specialist only).
  const nameplate = useConsoleNameplate(session, state, boot.relayUrl, annotations);
  const readText = useReadTextTool(nameplate);
  const plateOpen = usePlateOpen(nameplate);

  const onEnd = useCallback(() => void session?.end(), [session]);
  const frozen = useFrozen(annotations?.model ?? null);

  // The same element objects from render to render unless their own inputs change: every frame the
  // customer's steps send updates the console state, and re-rendering the chat, the annotation
  // layer and the tool bar with it kept the console busy for 50–350 ms each time, long enough to
  // hold back the answer and ICE of a customer who was joining.
  const chat = useMemo(
    () =>
      ticketId !== null && !ticketFailed ? (
        <ConsoleChat store={chatStore} onDownload={observing ? null : downloadPhoto} readOnly={observing} />
      ) : null,
    [ticketId, ticketFailed, chatStore, downloadPhoto, observing],
  );
  const customerConnected = state?.customer?.connected ?? false;
  const annotationParts = useMemo(
    () =>
      annotations && !ticketFailed
        ? {
            overlay: (
              <>
                <AnnotationSurface annotations={annotations} readOnly={observing} pick={focusPick} />
                {nameplate && !observing ? <PlateBoxLayer nameplate={nameplate} /> : null}
              </>
            ),
            // An observer has no tools: drawing, freezing, snapshots and the camera belong to the seat.
            toolbar: observing ? null : (
              <AnnotationControls
                annotations={annotations}
                disabled={!customerConnected}
                camera={camera ? <CameraControls camera={camera} model={annotations.model} /> : null}
                readText={readText}
                nameplate={nameplate ? <NameplatePanel nameplate={nameplate} /> : null}
              />
            ),
          }
        : undefined,
    [annotations, ticketFailed, observing, focusPick, customerConnected, camera, nameplate, readText],
  );

  return (
    <ConsoleView
      ticketId={ticketId}
      state={ticketFailed ? TICKET_FAILED : state}
      onEnd={onEnd}
      onClose={onClose}
      onRetry={onRetry}
      frozen={frozen}
      hideSelfView={plateOpen}
      chat={chat}
      annotations={annotationParts}
    />
  );
}

/** The host could not say which ticket this console is for. */
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
  customerStep: 'high',
  callError: null,
  observers: [],
  observing: false,
};
