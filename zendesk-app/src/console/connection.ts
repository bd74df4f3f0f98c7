import type { CallState, RelaySocketStatus } from '@live-assist/client-core';
import type { MessageKey } from '../i18n/i18n';

export type ConnectionView = { label: MessageKey; hue: 'successHue' | 'warningHue' | 'dangerHue' | 'neutralHue' };

/**
 * One word for the agent: the relay link matters while it is down; with nobody to call the
 * console is simply online; then the media state.
 */
export function connectionView(socket: RelaySocketStatus, call: CallState, customerConnected: boolean): ConnectionView {
  if (socket === 'reconnecting') return { label: 'connection.relayOffline', hue: 'warningHue' };
  if (socket !== 'open') return { label: 'connection.connecting', hue: 'neutralHue' };
  if (!customerConnected) return { label: 'connection.online', hue: 'neutralHue' };
  switch (call) {
    case 'connected':
      return { label: 'connection.connected', hue: 'successHue' };
    case 'connecting':
      return { label: 'connection.connecting', hue: 'warningHue' };
    case 'reconnecting':
      return { label: 'connection.reconnecting', hue: 'warningHue' };
    case 'failed':
      return { label: 'connection.failed', hue: 'dangerHue' };
    case 'disconnected':
      return { label: 'connection.disconnected', hue: 'neutralHue' };
    case 'idle':
      return { label: 'connection.connecting', hue: 'neutralHue' };
  }
}
