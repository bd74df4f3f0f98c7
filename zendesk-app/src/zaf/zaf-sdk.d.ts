/**
 * The part of zendesk_app_framework_sdk 2.0.x (CommonJS, untyped) this app uses.
 * Everything the host sends is typed `unknown`: callers parse it before trusting it.
 */
declare module 'zendesk_app_framework_sdk' {
  export type ZafHandler = (payload: unknown) => void;

  /** `get`/`set`/`invoke` resolve with `{ [path]: value, errors: { [path]: error } }`. */
  export type ZafResult = Record<string, unknown>;

  export interface ZafClient {
    /** True once the host answered the handshake with `app.registered`. */
    readonly ready: boolean;
    on(name: string, handler: ZafHandler): void;
    off(name: string, handler: ZafHandler): ZafHandler | false;
    has(name: string, handler: ZafHandler): boolean;
    trigger(name: string, data?: unknown): void;
    get(path: string | string[]): Promise<ZafResult>;
    /** `invoke('resize', {width, height})` is sent as `{ resize: [{width, height}] }`. */
    invoke(name: string, ...args: unknown[]): Promise<ZafResult>;
    /** A client addressing another instance of this app (e.g. the sidebar that opened a modal). */
    instance(instanceGuid: string): ZafClient;
    /** Resolves at once after registration; before it, waits for `app.registered`. */
    context(): Promise<unknown>;
    metadata(): Promise<unknown>;
  }

  const ZAFClient: {
    /** `false` when the page was not opened with `origin` and `app_guid` in its URL. */
    init(callback?: (this: ZafClient, registration: unknown) => void): ZafClient | false;
  };
  export default ZAFClient;
}
