import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import ZAFClient, { type ZafClient, type ZafHandler } from 'zendesk_app_framework_sdk';
import { parseRegistration, type AppContext } from './appContext';

type ZafSession = { client: ZafClient; context: AppContext };

const ClientContext = createContext<ZafSession | null>(null);

let sharedClient: ZafClient | false | undefined;

/** One SDK client per page: a second `init` would handshake again and double every reply. */
export function getZafClient(): ZafClient | false {
  sharedClient ??= ZAFClient.init();
  return sharedClient;
}

type Props = {
  children: ReactNode;
  /** Shown until the host registers the app. */
  pending: ReactNode;
  /** Shown when the page was not opened by a helpdesk (no `origin`/`app_guid`). */
  outsideHelpdesk: ReactNode;
  /** Tests pass their own client; the app uses the page's shared one. */
  client?: ZafClient | false;
};

/** Renders its children only once the helpdesk has registered this app instance. */
export function ClientProvider({ children, pending, outsideHelpdesk, client: given }: Props) {
  const [client] = useState(() => given ?? getZafClient());
  const [session, setSession] = useState<ZafSession | null>(null);

  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    const accept = (payload: unknown) => {
      const context = parseRegistration(payload);
      if (!cancelled && context) setSession({ client, context });
    };
    const onRegistered: ZafHandler = (payload) => accept(payload);
    client.on('app.registered', onRegistered);
    // The handshake reply may have landed before this effect ran; the SDK kept the context.
    if (client.ready) void client.context().then(accept);
    return () => {
      cancelled = true;
      client.off('app.registered', onRegistered);
    };
  }, [client]);

  if (!client) return <>{outsideHelpdesk}</>;
  if (!session) return <>{pending}</>;
  return <ClientContext.Provider value={session}>{children}</ClientContext.Provider>;
}

function useZafSession(): ZafSession {
  const session = useContext(ClientContext);
  if (!session) throw new Error('useClient() must be used inside <ClientProvider>');
  return session;
}

export function useClient(): ZafClient {
  return useZafSession().client;
}

/** The context the host registered this instance with (location, instanceGuid, account). */
export function useAppContext(): AppContext {
  return useZafSession().context;
}
