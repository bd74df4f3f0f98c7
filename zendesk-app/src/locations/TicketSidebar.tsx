import { useCallback, useEffect, useMemo, useState } from 'react';
import styled from 'styled-components';
import { useServices } from '../appServices';
import { MessageScreen } from '../components/Screen';
import { useAutoResize } from '../hooks/useAutoResize';
import { useI18n } from '../i18n/i18n';
import { SidebarView, type SidebarActions } from '../sidebar/SidebarView';
import { SidebarStore } from '../sidebar/sidebarStore';
import { CallNoteStore } from '../sidebar/callNoteStore';
import { InviteDeliveryStore } from '../sidebar/inviteDeliveryStore';
import { useStore } from '../store/useStore';
import { useClient } from '../zaf/ClientProvider';
import { ConsoleOpener, getTicketId } from '../zaf/zafData';
import { zafReplyEditor } from '../zaf/replyEditor';

const Root = styled.div`
  padding: ${(p) => p.theme.space.sm} ${(p) => p.theme.space.sm} ${(p) => p.theme.space.md};
`;

/** The Live Assist panel in the ticket sidebar. */
export default function TicketSidebar() {
  const client = useClient();
  const { api } = useServices();
  const { t } = useI18n();
  const ref = useAutoResize<HTMLDivElement>(client);
  const [ticketId, setTicketId] = useState<number | null>(null);
  const [noTicket, setNoTicket] = useState(false);
  const [store, setStore] = useState<SidebarStore | null>(null);

  useEffect(() => {
    let cancelled = false;
    getTicketId(client).then(
      (id) => !cancelled && setTicketId(id),
      () => !cancelled && setNoTicket(true),
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  useEffect(() => {
    if (ticketId === null) return;
    const created = new SidebarStore(api, ticketId);
    setStore(created);
    void created.load();
    return () => created.dispose();
  }, [api, ticketId]);

  return (
    <Root ref={ref}>
      {noTicket ? (
        <MessageScreen title={t('sidebar.problem.ticketNotFound')} />
      ) : store ? (
        <ConnectedSidebar store={store} />
      ) : (
        <SidebarView state={{ phase: 'loading', session: null, busy: null, problem: null }} actions={NO_ACTIONS} consoleProblem={false} />
      )}
    </Root>
  );
}

const NO_ACTIONS: SidebarActions = { retry() {}, startVideo() {}, endSession() {}, openConsole() {}, takeOver() {}, observe() {} };

function ConnectedSidebar({ store }: { store: SidebarStore }) {
  const client = useClient();
  const { api } = useServices();
  const state = useStore(store.state);
  const [consoleProblem, setConsoleProblem] = useState(false);
  const [callNotes] = useState(() => new CallNoteStore(api));
  const [delivery] = useState(() => new InviteDeliveryStore(api, { editor: zafReplyEditor(client) }));
  const call = useStore(callNotes.state);
  const deliveryState = useStore(delivery.state);

  const [opener, setOpener] = useState<ConsoleOpener | null>(null);
  useEffect(() => {
    const created = new ConsoleOpener(client, store.ticketId);
    setOpener(created);
    return () => created.dispose();
  }, [client, store]);

  useEffect(() => {
    void delivery.loadOptions();
    return () => {
      callNotes.dispose();
      delivery.dispose();
    };
  }, [callNotes, delivery]);

  // Both follow the session the sidebar store polls; they do nothing when it did not change.
  useEffect(() => {
    callNotes.follow(state.session);
    delivery.follow(state.session?.status === 'active' ? state.session.sessionId : null);
  }, [callNotes, delivery, state.session]);

  const deliveryActions = useMemo(
    () => ({
      sendToRequester: () => void delivery.sendToRequester(),
      insertIntoReply: () => void delivery.insertIntoReply(),
      sendSms: (phone: string) => delivery.sendSms(phone),
      resendSms: () => void delivery.resendSms(),
    }),
    [delivery],
  );

  const openConsole = useCallback(
    (observe = false) => {
      setConsoleProblem(false);
      if (!opener) return;
      opener.open(observe).catch(() => setConsoleProblem(true));
    },
    [opener],
  );

  const actions: SidebarActions = {
    retry: () => void store.load(),
    startVideo: () => void store.startVideo(),
    endSession: () => void store.endSession(),
    takeOver: () => void store.takeOver(),
    openConsole: () => openConsole(),
    observe: () => openConsole(true),
  };
  return (
    <SidebarView
      state={state}
      actions={actions}
      consoleProblem={consoleProblem}
      extras={{ call: call.view, delivery: deliveryState, deliveryActions }}
    />
  );
}
