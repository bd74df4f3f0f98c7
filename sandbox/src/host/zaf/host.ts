import type { SandboxConfig } from '../api.js';
import { loadPlainFrame, loadSignedFrame } from './frame.js';
import {
  AppendArgs,
  CreateInstanceArgs,
  GetParams,
  InvokeParams,
  NotifyArgs,
  parseSdkMessage,
  RequestOptions,
  ResizeArgs,
  Subscription,
  cssLength,
  type KeyedMessage,
  type RpcMessage,
} from './messages.js';
import { performRequest } from './request.js';

export type AppLocation = 'ticket_sidebar' | 'modal';

export interface InstanceContext {
  host: 'zendesk';
  product: 'support';
  location: AppLocation;
  instanceGuid: string;
  account: { subdomain: string };
  ticketId?: number;
}

export interface ModalHandle {
  frame: HTMLIFrameElement;
  close(): void;
}

/** What the surrounding page offers the host: data for `get`, toasts and modal chrome. */
export interface HostEnvironment {
  config: SandboxConfig;
  ticketId: number;
  /** Sandbox switch: the agent the app's loads are signed for (default: the signed-in one). */
  agentId?: number;
  appName: string;
  appVersion: string;
  /** The ZAF data tree of the ticket page (`ticket`, `currentUser`, `currentAccount`). */
  data(): Record<string, unknown>;
  notify(message: string, kind: string, durationMs?: number): void;
  /** The frame must be created with `frameName`: browsers ignore renaming a frame already in the document. */
  openModal(size: { width?: string; height?: string }, frameName: string, onCloseClick: () => void): ModalHandle;
  onError(message: string): void;
  /** `ticket.comment.appendHtml/appendText`: adds to the agent's reply in the composer. */
  appendToReply(content: string, format: 'html' | 'text'): void;
}

interface Instance {
  context: InstanceContext;
  frame: HTMLIFrameElement;
  /** `${instanceGuid} ${event}` → subscriber count, as reported by the SDK's iframe.on/off. */
  subscriptions: Map<string, number>;
  registered: boolean;
  modal?: ModalHandle;
}

interface ZafError {
  name: string;
  message: string;
  path: string;
}

function unavailable(path: string, why = `Could not find handler for: "${path}"`): ZafError {
  return { name: 'APIUnavailable', message: why, path };
}

export function frameName(instanceGuid: string): string {
  return `zaf-app-${instanceGuid}`;
}

// Paths that only exist where a ticket is open; a modal has no ticket in Zendesk either.
const TICKET_SCOPED = /^ticket(\.|$)/;

/**
 * The helpdesk side of the ZAF postMessage protocol (zendesk_app_framework_sdk 2.0.x):
 * registers app iframes, answers get/set/invoke, proxies client.request and routes events.
 */
export class ZafHost {
  private readonly instances = new Map<string, Instance>();
  private readonly appOrigin: string;
  private readonly listener = (e: MessageEvent) => this.onMessage(e);

  constructor(private readonly env: HostEnvironment) {
    this.appOrigin = new URL(env.config.appUrl).origin;
    window.addEventListener('message', this.listener);
  }

  dispose(): void {
    window.removeEventListener('message', this.listener);
    for (const guid of [...this.instances.keys()]) this.destroy(guid);
  }

  /**
   * Creates an instance in `frame`. A location the installed manifest declares is loaded from its
   * declared URL through a signed POST; any other gets a plain GET of `url`, as in Zendesk.
   */
  mount(
    frame: HTMLIFrameElement,
    location: AppLocation,
    url: string | undefined,
    modal?: ModalHandle,
    instanceGuid = crypto.randomUUID(),
  ): InstanceContext {
    const context: InstanceContext = {
      host: 'zendesk',
      product: 'support',
      location,
      instanceGuid,
      account: { subdomain: this.env.config.subdomain },
      ...(location === 'ticket_sidebar' ? { ticketId: this.env.ticketId } : {}),
    };
    if (frame.name !== frameName(instanceGuid)) throw new Error('app frame must be created with frameName(instanceGuid)');
    this.instances.set(instanceGuid, { context, frame, subscriptions: new Map(), registered: false, modal });
    const declared = this.env.config.locations[location];
    if (declared) {
      loadSignedFrame({ frame, url: declared, location, ticketId: this.env.ticketId, instanceGuid, agentId: this.env.agentId }).catch(
        (e: unknown) => {
          this.env.onError(`Could not load ${this.env.appName}: ${e instanceof Error ? e.message : String(e)}`);
        },
      );
    } else if (url) {
      loadPlainFrame(frame, url, instanceGuid);
    } else {
      this.env.onError(`${this.env.appName} declares no ${location} location and gave no URL for it`);
    }
    return context;
  }

  destroy(guid: string): boolean {
    const inst = this.instances.get(guid);
    if (!inst) return false;
    this.fire('modal.close', guid, undefined);
    this.instances.delete(guid);
    for (const other of this.instances.values()) {
      for (const key of other.subscriptions.keys()) if (key.startsWith(`${guid} `)) other.subscriptions.delete(key);
    }
    inst.modal?.close();
    return true;
  }

  private post(inst: Instance, payload: unknown): void {
    inst.frame.contentWindow?.postMessage(JSON.stringify(payload), this.appOrigin);
  }

  private onMessage(event: MessageEvent): void {
    // Only the app's origin, and only from a window this page created, may drive the host.
    if (event.origin !== this.appOrigin) return;
    const sender = [...this.instances.values()].find((i) => i.frame.contentWindow === event.source);
    if (!sender) return;
    const msg = parseSdkMessage(event.data);
    if (!msg) return;
    if (msg.appGuid !== sender.context.instanceGuid) {
      console.warn('ZAF host: message with a foreign app_guid ignored', msg);
      return;
    }
    const targetGuid = msg.instanceGuid ?? sender.context.instanceGuid;
    if ('request' in msg) this.onRpc(sender, targetGuid, msg);
    else this.onKeyed(sender, targetGuid, msg);
  }

  private onRpc(sender: Instance, targetGuid: string, msg: RpcMessage): void {
    const target = this.instances.get(targetGuid);
    const reply = (result: Record<string, unknown>) => this.post(sender, { id: msg.id, result });
    if (!target) {
      this.post(sender, { id: msg.id, error: { name: 'InstanceNotFound', message: `No app instance ${targetGuid}` } });
      return;
    }
    if (msg.request === 'get') {
      const paths = GetParams.safeParse(msg.params);
      if (!paths.success)
        return this.post(sender, { id: msg.id, error: { name: 'InvalidParams', message: 'get expects an array of paths' } });
      reply(this.get(target, paths.data));
    } else if (msg.request === 'set') {
      const keys = msg.params !== null && typeof msg.params === 'object' ? Object.keys(msg.params) : [];
      const errors: Record<string, ZafError> = {};
      for (const k of keys) errors[k] = unavailable(k, `"${k}" cannot be set in the sandbox`);
      reply({ errors });
    } else {
      const calls = InvokeParams.safeParse(msg.params);
      if (!calls.success)
        return this.post(sender, { id: msg.id, error: { name: 'InvalidParams', message: 'invoke expects an object of argument arrays' } });
      reply(this.invoke(target, calls.data));
    }
  }

  private get(target: Instance, paths: string[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const errors: Record<string, ZafError> = {};
    const tree: Record<string, unknown> = {
      ...this.env.data(),
      context: target.context,
      instances: Object.fromEntries([...this.instances].map(([g, i]) => [g, i.context])),
    };
    for (const path of paths) {
      if (target.context.location !== 'ticket_sidebar' && TICKET_SCOPED.test(path)) {
        errors[path] = unavailable(path, `"${path}" is not available in the ${target.context.location} location`);
        continue;
      }
      const instanceMatch = /^instances\.(.+)$/.exec(path);
      const value = instanceMatch
        ? this.instances.get(instanceMatch[1] ?? '')?.context
        : path
            .split('.')
            .reduce<unknown>(
              (node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
              tree,
            );
      if (value === undefined) errors[path] = unavailable(path);
      else result[path] = value;
    }
    return { ...result, errors };
  }

  private invoke(target: Instance, calls: Record<string, unknown[]>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const errors: Record<string, ZafError> = {};
    for (const [name, args] of Object.entries(calls)) {
      const outcome = this.invokeOne(target, name, args);
      if ('error' in outcome) errors[name] = unavailable(name, outcome.error);
      else result[name] = outcome.value;
    }
    return { ...result, errors };
  }

  private invokeOne(target: Instance, name: string, args: unknown[]): { value: unknown } | { error: string } {
    switch (name) {
      case 'resize': {
        const a = ResizeArgs.safeParse(args);
        if (!a.success) return { error: 'resize expects one {width, height} object' };
        const height = cssLength(a.data[0].height);
        const width = cssLength(a.data[0].width);
        if (height) target.frame.style.height = height;
        // The sidebar has a fixed width in Zendesk; only modals honour width.
        if (width && target.context.location === 'modal') target.frame.style.width = width;
        return { value: null };
      }
      case 'notify': {
        const a = NotifyArgs.safeParse(args);
        if (!a.success) return { error: 'notify expects (message, kind?, durationOrOptions?)' };
        const [message, kind = 'notice', duration] = a.data as [string, string?, unknown?];
        this.env.notify(message, kind, typeof duration === 'number' ? duration : undefined);
        return { value: null };
      }
      case 'instances.create': {
        const a = CreateInstanceArgs.safeParse(args);
        if (!a.success) return { error: 'instances.create expects {location: "modal", url?, size?}' };
        const declared = this.env.config.locations.modal;
        if (!declared && !a.data[0].url) return { error: 'instances.create needs a url when the manifest declares no modal' };
        const url = declared ? undefined : new URL(a.data[0].url ?? '', `${this.env.config.appUrl}/`);
        if (url && url.origin !== this.appOrigin) return { error: `instances.create url must be on the app origin ${this.appOrigin}` };
        const guid = crypto.randomUUID();
        const modal = this.env.openModal(
          { width: cssLength(a.data[0].size?.width), height: cssLength(a.data[0].size?.height) },
          frameName(guid),
          () => this.destroy(guid),
        );
        return { value: [this.mount(modal.frame, 'modal', url?.toString(), modal, guid)] };
      }
      case 'ticket.comment.appendHtml':
      case 'ticket.comment.appendText': {
        // The reply editor belongs to the ticket page: a modal has none (Zendesk's ticket scope).
        if (target.context.location !== 'ticket_sidebar')
          return { error: `"${name}" is not available in the ${target.context.location} location` };
        const a = AppendArgs.safeParse(args);
        if (!a.success) return { error: `${name} expects one string` };
        this.env.appendToReply(a.data[0], name === 'ticket.comment.appendHtml' ? 'html' : 'text');
        return { value: null };
      }
      case 'destroy':
      case 'instances.destroy': {
        const guid = typeof args[0] === 'string' ? args[0] : target.context.instanceGuid;
        const inst = this.instances.get(guid);
        if (!inst || inst.context.location !== 'modal') return { error: 'only modal instances can be destroyed' };
        this.destroy(guid);
        return { value: null };
      }
      default:
        return { error: `"${name}" is not supported by the sandbox` };
    }
  }

  private onKeyed(sender: Instance, targetGuid: string, msg: KeyedMessage): void {
    const { key } = msg;
    if (key === 'iframe.handshake') {
      sender.registered = true;
      this.post(sender, {
        key: 'zaf.app.registered',
        message: {
          context: sender.context,
          metadata: {
            appId: this.env.config.appId,
            installationId: this.env.config.installationId,
            name: this.env.appName,
            version: this.env.appVersion,
            settings: { title: this.env.appName, ...this.env.config.settings },
          },
        },
        instanceGuid: sender.context.instanceGuid,
      });
      return;
    }
    const sub = /^iframe\.(on|off):(.+)$/.exec(key);
    if (sub) {
      const count = Subscription.safeParse(msg.message);
      const k = `${targetGuid} ${sub[2]}`;
      if (!count.success || count.data.subscriberCount === 0) sender.subscriptions.delete(k);
      else sender.subscriptions.set(k, count.data.subscriberCount);
      return;
    }
    const trigger = /^iframe\.trigger:(.+)$/.exec(key);
    if (trigger) {
      const evt = trigger[1] ?? '';
      if (targetGuid !== sender.context.instanceGuid) this.fire(evt, targetGuid, msg.message);
      else for (const guid of this.instances.keys()) if (guid !== targetGuid) this.fire(evt, guid, msg.message);
      return;
    }
    if (/^request:\d+$/.test(key)) {
      void this.onRequest(sender, key, msg.message);
    }
  }

  /** Delivers `zaf.<evt>` for instance `onGuid` to every window that subscribed to it. */
  private fire(evt: string, onGuid: string, message: unknown): void {
    for (const inst of this.instances.values()) {
      if ((inst.subscriptions.get(`${onGuid} ${evt}`) ?? 0) > 0) this.post(inst, { key: `zaf.${evt}`, message, instanceGuid: onGuid });
    }
  }

  private async onRequest(sender: Instance, key: string, message: unknown): Promise<void> {
    const opts = RequestOptions.safeParse(typeof message === 'string' ? { url: message } : message);
    const outcome = opts.success
      ? await performRequest(opts.data, this.env.config.settings)
      : { ok: false, responseArgs: [{ status: 400, statusText: 'error', responseText: 'Invalid request options' }] };
    if (!this.instances.has(sender.context.instanceGuid)) return;
    this.post(sender, {
      key: `zaf.${key}.${outcome.ok ? 'done' : 'fail'}`,
      message: { responseArgs: outcome.responseArgs },
      instanceGuid: sender.context.instanceGuid,
    });
  }
}
