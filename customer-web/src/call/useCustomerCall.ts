import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CustomerCall, CustomerCallSnapshot } from './customerCall.js';

/** Creates the call store for this page's lifetime and disposes it on unmount. */
export function useCustomerCallStore(create: () => CustomerCall): CustomerCall | null {
  const [store, setStore] = useState<CustomerCall | null>(null);
  useEffect(() => {
    // Created inside the effect so a StrictMode remount gets a fresh store, not a disposed one.
    const created = create();
    setStore(created);
    void created.start();
    return () => {
      created.dispose();
    };
  }, [create]);
  return store;
}

export function useCustomerCallSnapshot(store: CustomerCall): CustomerCallSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
