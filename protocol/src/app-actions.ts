import { z } from 'zod';
import { SessionIdSchema } from './invite.js';
import { SessionViewSchema, TicketIdSchema } from './http.js';
import { TicketNoteStatusSchema } from './writeback.js';

/**
 * `POST /api/app/actions/<action>`: the agent endpoints for an app whose helpdesk proxy lets it
 * set only path, query and body per call (Freshdesk's request templates, docs/freshdesk.md). The
 * agent token from the sign-in travels in the body instead of `Authorization`; each action answers
 * exactly what its agent endpoint answers (docs/contract.md).
 */
/** Checked by the agent endpoint (401 when it is not a live token), so any short string parses. */
const AgentTokenSchema = z.string().max(512);

/** Actions on the ticket the app is open on: `session` (its newest session), `start`. */
export const AppTicketActionSchema = z.object({ agentToken: AgentTokenSchema, ticketId: TicketIdSchema });
export type AppTicketAction = z.infer<typeof AppTicketActionSchema>;

/** Actions on one session: `invite` (the link as a public reply), `end`, `note`. */
export const AppSessionActionSchema = z.object({ agentToken: AgentTokenSchema, sessionId: SessionIdSchema });
export type AppSessionAction = z.infer<typeof AppSessionActionSchema>;

export const APP_ACTIONS_PATH = '/api/app/actions';

/** Each action and the agent endpoint whose answer it gives. */
export const AppAction = {
  session: 'session',
  start: 'start',
  invite: 'invite',
  end: 'end',
  note: 'note',
} as const;
export type AppAction = (typeof AppAction)[keyof typeof AppAction];

/**
 * `GET /ws/agent?token=<liveToken>` (a WebSocket): the session as its agent sees it,
 * pushed whenever it changes, so an app whose HTTP calls are rationed (Freshdesk: 50 template calls
 * a minute per account) follows a call without asking. The relay only sends; the specialist token
 * is never on this socket (null), the app has no use for it.
 */
export const AGENT_LIVE_PATH = '/ws/agent';

export const AgentLiveFrameSchema = z.object({
  type: z.literal('session'),
  session: SessionViewSchema,
  note: TicketNoteStatusSchema,
});
export type AgentLiveFrame = z.infer<typeof AgentLiveFrameSchema>;

/**
 * `POST /api/app/actions/live` `AppSessionAction` → the token that opens `/ws/agent` for that
 * session: an hour at most (never past the agent's login), for nothing but the feed.
 */
export const AppLiveTokenSchema = z.object({ liveToken: z.string(), expiresAt: z.string() });
export type AppLiveToken = z.infer<typeof AppLiveTokenSchema>;

/**
 * `POST /api/app/actions/console` `AppSessionAction` → a link that opens the specialist console in
 * a browser tab of its own, for an app whose frame may not use the camera (Freshdesk documents no
 * camera or microphone permission for app frames). The link works once, for two minutes; its code
 * is in the fragment, so no server, proxy or log on the way sees it.
 */
export const AppConsoleLinkSchema = z.object({ url: z.string().url(), expiresAt: z.string() });
export type AppConsoleLink = z.infer<typeof AppConsoleLinkSchema>;

/** Where the console tab trades the link's code for an agent login of its own. */
export const CONSOLE_TAB_OPEN_PATH = '/api/app/console-tab';

export const ConsoleTabOpenRequestSchema = z.object({ code: z.string().min(1).max(1024) });
export type ConsoleTabOpenRequest = z.infer<typeof ConsoleTabOpenRequestSchema>;

export const ConsoleTabOpenResponseSchema = z.object({
  agentToken: z.string(),
  expiresAt: z.string(),
  ticketId: TicketIdSchema,
  sessionId: SessionIdSchema,
  /** The agent's helpdesk language as read at sign-in; null when the helpdesk did not tell. */
  locale: z.string().nullable(),
});
export type ConsoleTabOpenResponse = z.infer<typeof ConsoleTabOpenResponseSchema>;
