import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const SESSION_COOKIE = 'sandbox_agent_session';

export interface AuthConfig {
  apiEmail: string;
  apiToken: string;
  agentId: number;
  /** Secret of the browser session cookie the sandbox pages get, standing in for Zendesk's agent login. */
  sessionSecret: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Who is calling: the API user (Basic `{email}/token:{token}`) or the agent's browser session. */
export function authenticate(cfg: AuthConfig, req: Request): number | undefined {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const at = decoded.indexOf('/token:');
    if (at < 0) return undefined;
    const email = decoded.slice(0, at).toLowerCase();
    const token = decoded.slice(at + '/token:'.length);
    return email === cfg.apiEmail.toLowerCase() && same(token, cfg.apiToken) ? cfg.agentId : undefined;
  }
  const session = cookie(req, SESSION_COOKIE);
  if (session !== undefined && same(session, cfg.sessionSecret)) return cfg.agentId;
  return undefined;
}

export function requireAuth(cfg: AuthConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const userId = authenticate(cfg, req);
    if (userId === undefined) {
      res.status(401).set('WWW-Authenticate', 'Basic realm="Web Password"').json({ error: "Couldn't authenticate you" });
      return;
    }
    res.locals.userId = userId;
    next();
  };
}

export function setSessionCookie(cfg: AuthConfig, res: Response): void {
  res.cookie(SESSION_COOKIE, cfg.sessionSecret, { httpOnly: true, sameSite: 'strict', path: '/' });
}
