import { createContext, useContext, type ReactNode } from 'react';
import type { AgentApi, SidebarApi } from './api/relayApi';
import type { Boot } from './boot';

export type AppServices = { boot: Boot; api: AgentApi & SidebarApi };

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

/** The relay boot data and API client of this signed app load. */
export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() must be used inside <ServicesProvider>');
  return services;
}
