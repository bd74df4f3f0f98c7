import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { CLIENT_SCRIPT } from './client-script.js';
import { FD_AGENT_ID, FD_AGENTS, FD_TICKETS, type FdStore } from './store.js';
import { conversationJson, ticketJson } from './serializers.js';
import { templateRunner, type CallBudget, type TemplateRunner } from './templates.js';
import type { FreshdeskSandboxHelpdesk } from './sandbox.js';

/** A Freshdesk app as the sandbox installs it: its files and the installation's iparams. */
export interface HostedApp {
  /** The folder holding `app/index.html` (and the app's scripts and styles under `app/`). */
  appDir: string;
  /** config/requests.json. */
  requests: unknown;
  /** The manifest's `modules.common.requests` names. */
  declared: readonly string[];
  /** Non-secure iparams of the installation. */
  iparams: Record<string, string>;
  /** Names of the secure iparams: each is filled with the relay's app secret. */
  secureIparams: readonly string[];
  /** Host name → origin the proxy really sends to (the relay's public host → the relay). */
  origins: ReadonlyMap<string, string>;
  budget?: CallBudget;
}

const COOKIE = 'fd_sandbox_agent';
/** What the client stand-in posts for `invokeTemplate(name, options)`; the options are checked by the runner. */
const InvokeBody = z.object({ name: z.string().min(1).max(100), options: z.unknown().optional() }).strict();
/** The sandbox's own pages run only its own files and are framed by nobody. */
const PAGE_POLICY = "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/** The app runs only its own files (and the client stand-in), framed only by the ticket page. */
const APP_POLICY = "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · Freshdesk sandbox</title>
<link rel="stylesheet" href="/sandbox/freshdesk/host.css"></head><body><header>Freshdesk sandbox</header>${body}</body></html>`;

const HOST_CSS = `body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#12344d;background:#f5f7f9}
header{background:#12344d;color:#fff;padding:10px 16px}main{display:flex;gap:16px;padding:16px}
.ticket{flex:1;background:#fff;border:1px solid #cfd7df;border-radius:4px;padding:16px}
.sidebar{width:340px}.sidebar iframe{width:100%;height:400px;border:1px solid #cfd7df;border-radius:4px;background:#fff}
.conv{border-top:1px solid #ebeff3;padding:8px 0}.conv.note{background:#fef1e1}
#notify{position:fixed;top:12px;right:12px;max-width:360px}#notify div{background:#fff;border-left:4px solid #2c5cc5;margin:4px;padding:8px}
#modal{position:fixed;inset:0;background:rgba(18,52,77,.5);display:none;align-items:center;justify-content:center}
#modal>div{background:#fff;width:min(900px,90vw)}#modal iframe{width:100%;height:70vh;border:0}
`;

/** The ticket page's side of the client stand-in: resize, notifications and modals, only from its own frames. */
const HOST_SCRIPT = String.raw`(() => {
  const frames = () => [...document.querySelectorAll('iframe[data-instance]')];
  const modal = document.getElementById('modal');
  const close = () => { modal.style.display = 'none'; modal.querySelector('iframe').src = 'about:blank'; };
  modal.querySelector('button').onclick = close;
  window.addEventListener('message', (e) => {
    const d = e.data;
    const frame = frames().find((f) => f.contentWindow === e.source);
    if (e.origin !== location.origin || !frame || !d || d.freshdeskSandbox !== true) return;
    if (d.kind === 'resize') frame.style.height = d.height + 'px';
    if (d.kind === 'notify') {
      const n = document.createElement('div');
      n.dataset.type = d.type;
      n.textContent = (d.title ? d.title + ': ' : '') + d.message;
      document.getElementById('notify').append(n);
      setTimeout(() => n.remove(), 6000);
    }
    if (d.kind === 'modal') {
      window.__freshdeskSandboxModalData = d.data;
      modal.querySelector('h2').textContent = d.title;
      const src = new URL(d.template, frame.src);
      src.search = new URL(frame.src).search.replace('location=ticket_sidebar', 'location=modal').replace('instance=sidebar', 'instance=modal');
      modal.querySelector('iframe').src = src.href;
      modal.style.display = 'flex';
    }
    if (d.kind === 'close' && frame.dataset.instance === 'modal') close();
  });
})();`;

export function hostPage(
  store: FdStore,
  opts: { publicUrl: string; helpdesk: FreshdeskSandboxHelpdesk; agentSession: string; now: () => number; app?: HostedApp },
): Router {
  const r = express.Router();
  const agent = FD_AGENTS.find((a) => a.id === FD_AGENT_ID)!;
  const runner: TemplateRunner | null = opts.app
    ? templateRunner({
        requests: opts.app.requests,
        declared: opts.app.declared,
        installation: {
          iparams: { ...opts.app.iparams, ...Object.fromEntries(opts.app.secureIparams.map((k) => [k, opts.helpdesk.appSecret])) },
          secure: new Set(opts.app.secureIparams),
        },
        origins: opts.app.origins,
        ...(opts.app.budget ? { budget: opts.app.budget } : {}),
      })
    : null;

  const signIn = (res: Response) =>
    res.cookie(COOKIE, opts.agentSession, { httpOnly: true, sameSite: 'strict', path: '/sandbox/freshdesk' });
  const signedIn = (req: Request, res: Response): boolean => {
    if (cookie(req, COOKIE) === opts.agentSession) return true;
    res.status(401).json({ status: 401, message: 'Not signed in to the Freshdesk sandbox' });
    return false;
  };

  r.get('/', (_req, res) => {
    signIn(res);
    res.set('Content-Security-Policy', PAGE_POLICY);
    const rows = FD_TICKETS.map((t) => `<li><a href="tickets/${t.id}">#${t.id} ${esc(t.subject)}</a></li>`).join('');
    res.type('html').send(page('Tickets', `<main><div class="ticket"><h1>Tickets</h1><ul>${rows}</ul></div></main>`));
  });

  r.get('/tickets/:id', (req, res) => {
    const ticket = store.ticket(Number(req.params.id));
    if (!ticket) {
      res.status(404).type('html').send(page('Not found', '<main>No such ticket.</main>'));
      return;
    }
    signIn(res);
    res.set('Content-Security-Policy', PAGE_POLICY);
    const convs = store
      .conversations(ticket.id, 0, 1000)
      .map((c) => conversationJson(store, c))
      .map(
        (c) =>
          `<div class="conv${c.private ? ' note' : ''}" data-private="${c.private}"><b>${c.private ? 'Private note' : 'Reply'}</b>` +
          `<div>${esc(c.body_text)}</div><ul>${c.attachments.map((a) => `<li class="attachment">${esc(a.name)} (${a.size} B)</li>`).join('')}</ul></div>`,
      )
      .join('');
    const q = `ticket=${ticket.id}&instance=sidebar&location=ticket_sidebar`;
    const sidebar = opts.app
      ? `<iframe data-instance="sidebar" title="Live Assist" src="/sandbox/freshdesk/app/index.html?${q}"></iframe>`
      : '<p>No Freshdesk app is installed: build freshdesk-app/ first.</p>';
    res
      .type('html')
      .send(
        page(
          ticket.subject,
          `<main><div class="ticket"><h1>${esc(ticket.subject)}</h1><p>${esc(ticket.description)}</p>${convs}</div>` +
            `<aside class="sidebar">${sidebar}</aside></main><div id="notify"></div>` +
            `<div id="modal"><div><h2></h2><button type="button">Close</button><iframe data-instance="modal" title="Modal"></iframe></div></div>` +
            '<script src="/sandbox/freshdesk/host.js"></script>',
        ),
      );
  });

  r.get('/client.js', (_req, res) => {
    res.type('application/javascript').send(CLIENT_SCRIPT);
  });
  r.get('/host.js', (_req, res) => {
    res.type('application/javascript').send(HOST_SCRIPT);
  });
  r.get('/host.css', (_req, res) => {
    res.type('text/css').send(HOST_CSS);
  });

  // The app's files; index.html (and modal templates) get the client where {{{appclient}}} stands.
  r.get(/^\/app\/(.+)$/, (req, res) => {
    if (!opts.app) {
      res.status(404).end();
      return;
    }
    const root = resolve(opts.app.appDir, 'app');
    const file = resolve(root, String(req.params[0]));
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      res.status(404).end();
      return;
    }
    if (file.endsWith('.html')) {
      const html = readFileSync(file, 'utf8').replace('{{{appclient}}}', '<script src="/sandbox/freshdesk/client.js"></script>');
      res.set('Content-Security-Policy', APP_POLICY).type('html').send(html);
      return;
    }
    res.sendFile(file);
  });

  r.get('/api/data/:id', (req, res) => {
    if (!signedIn(req, res)) return;
    const ticket = store.ticket(Number(req.params.id));
    const requester = ticket ? store.contact(ticket.requester_id) : undefined;
    res.json({
      ...(ticket ? { ticket: ticketJson(store, ticket, false) } : {}),
      ...(requester ? { requester: { id: requester.id, name: requester.name, email: requester.email, mobile: null, phone: null } } : {}),
      loggedInUser: {
        id: agent.id,
        ticket_scope: agent.ticket_scope,
        group_ids: agent.group_ids,
        contact: { name: agent.name, email: agent.email, language: agent.language, job_title: null },
      },
      domainName: opts.helpdesk.domain,
      currentHost: { subscribed_modules: ['support_ticket'], endpoint_urls: { freshdesk: opts.publicUrl } },
    });
  });

  r.post('/api/invoke', express.json({ limit: '7mb' }), async (req, res) => {
    if (!signedIn(req, res)) return;
    if (!runner) {
      res.status(404).json({ ok: false, result: { status: 404, headers: {}, response: 'No app installed', errorSource: 'PLATFORM' } });
      return;
    }
    const body = InvokeBody.safeParse(req.body);
    if (!body.success) {
      res
        .status(400)
        .json({ ok: false, result: { status: 400, headers: {}, response: 'Invalid invokeTemplate call', errorSource: 'PLATFORM' } });
      return;
    }
    res.json(await runner.invoke(body.data.name, body.data.options));
  });

  return r;
}

/**
 * The repository's Freshdesk app, installed as the sandbox would, when it has been built.
 * `settings` are what the admin typed into the installation's settings page (iparams the app
 * does not define are ignored); the rest take their defaults.
 */
export function repoFreshdeskApp(
  appDir: string,
  relayUrl: string,
  relayOrigin: string,
  settings: Readonly<Record<string, string>> = {},
): HostedApp | undefined {
  const manifestPath = join(appDir, 'manifest.json');
  if (!existsSync(manifestPath) || !existsSync(join(appDir, 'app', 'index.html'))) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { modules?: { common?: { requests?: Record<string, unknown> } } };
  const requests: unknown = JSON.parse(readFileSync(join(appDir, 'config', 'requests.json'), 'utf8'));
  const iparamDefs = JSON.parse(readFileSync(join(appDir, 'config', 'iparams.json'), 'utf8')) as Record<
    string,
    { secure?: boolean; default_value?: unknown }
  >;
  const relayHost = new URL(relayUrl).hostname;
  const iparams: Record<string, string> = {};
  const secureIparams: string[] = [];
  for (const [name, def] of Object.entries(iparamDefs)) {
    if (def.secure) secureIparams.push(name);
    // The relay's host is the one thing an installation types in besides the secret.
    else if (settings[name] !== undefined) iparams[name] = settings[name];
    else iparams[name] = /relay|host|domain/i.test(name) ? relayHost : String(def.default_value ?? '');
  }
  return {
    appDir,
    requests,
    declared: Object.keys(manifest.modules?.common?.requests ?? {}),
    iparams,
    secureIparams,
    origins: new Map([[relayHost, relayOrigin]]),
  };
}
