import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Response, Router } from 'express';
import { z } from 'zod';
import { requireAuth, setSessionCookie, type AuthConfig } from './auth.js';
import type { Installation } from './installation.js';
import { signAppToken, type SigningKeys } from './keys.js';
import type { Store } from './store.js';

export interface HostConfig {
  publicUrl: string;
  appUrl: string;
  appId: number;
  installationId: number;
  subdomain: string;
  installation: Installation;
}

const appTokenRequest = z.object({
  location: z.enum(['ticket_sidebar', 'modal']),
  ticketId: z.number().int().positive(),
  /** Sandbox switch: load the app as another agent of the account (e.g. a restricted one). */
  agentId: z.number().int().positive().optional(),
});

// Both src/server (tests) and dist/server (built) sit two levels below the package root.
const HOST_DIR = fileURLToPath(new URL('../../dist/host/', import.meta.url));

/** The agent workspace pages, their small JSON helpers and attachment downloads, mounted under /sandbox. */
export function sandboxRoutes(store: Store, keys: SigningKeys, auth: AuthConfig, cfg: HostConfig): Router {
  const r = express.Router();

  const page = (_req: unknown, res: Response) => {
    // Opening the workspace is the sandbox's "agent login": the cookie authorizes the page's API calls.
    setSessionCookie(auth, res);
    const index = join(HOST_DIR, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The sandbox host page is not built. Run `npm run build -w sandbox`.');
      return;
    }
    // The relay's default policy is for answers that are not pages; the workspace runs its own
    // scripts and frames the app (a form POST to the relay's /app/), as Zendesk's would.
    res
      .set('Cache-Control', 'no-store')
      .set('Content-Security-Policy', "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
      .sendFile(index);
  };
  r.get('/', page);
  r.get('/tickets/:id', page);
  r.use('/assets', express.static(join(HOST_DIR, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));

  r.get('/attachments/:urlToken/:name', (req, res) => {
    const a = store.attachmentContent(req.params.urlToken);
    if (!a) {
      res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
      return;
    }
    // Uploaded bytes are untrusted: never let the browser sniff them into something active.
    const inline = /^image\/(png|jpeg|gif|webp)$/.test(a.content_type);
    res
      .set('Content-Type', a.content_type)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Content-Security-Policy', "default-src 'none'; sandbox")
      .set('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.file_name)}`)
      .send(a.content);
  });

  const api = express.Router();
  api.use(requireAuth(auth));
  api.get('/config', (_req, res) => {
    const agent = store.user(auth.agentId);
    res.json({
      publicUrl: cfg.publicUrl,
      appUrl: cfg.appUrl,
      appId: cfg.appId,
      installationId: cfg.installationId,
      subdomain: cfg.subdomain,
      settings: cfg.installation.settings,
      locations: cfg.installation.locations,
      agent: agent && {
        id: agent.id,
        name: agent.name,
        email: agent.email,
        locale: agent.locale,
        role: agent.role,
        time_zone: agent.time_zone,
      },
    });
  });
  api.post('/app-token', express.json({ limit: '16kb' }), async (req, res) => {
    const body = appTokenRequest.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'InvalidParameters', description: 'Invalid request', details: z.flattenError(body.error) });
      return;
    }
    // Zendesk signs only locations the installed manifest declares; anything else is a plain GET.
    const url = cfg.installation.signedUrls ? cfg.installation.locations[body.data.location] : undefined;
    if (!url) {
      res.status(422).json({ error: 'RecordInvalid', description: `The installed app declares no signed ${body.data.location} location` });
      return;
    }
    const agent = store.user(body.data.agentId ?? (res.locals.userId as number));
    if (!agent || agent.role === 'end-user' || !store.ticket(body.data.ticketId)) {
      res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
      return;
    }
    const token = await signAppToken(keys, {
      issuer: new URL(cfg.publicUrl).host,
      audience: `${cfg.publicUrl}/api/v2/apps/installations/${cfg.installationId}.json`,
      location: body.data.location,
      url,
      keyUrl: `${cfg.publicUrl}/api/v2/apps/${cfg.appId}/public_key.pem`,
      userId: agent.id,
    });
    res.json({ token });
  });
  api.use((_req, res) => {
    res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
  });
  r.use('/api', api);
  return r;
}
