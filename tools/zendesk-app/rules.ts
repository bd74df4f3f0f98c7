/**
 * Zendesk's published rules for a ZAF v2 app package, as far as this project relies on them
 * (manifest reference, app requirements, and the checks Zendesk applies on upload), plus the
 * project's own requirements (private, signed URLs, a ticket sidebar, en/bg/de translations).
 */

export const PARAMETER_TYPES = ['text', 'password', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'] as const;

/**
 * Secure values are only ever substituted into requests as strings by Zendesk's proxy;
 * a secure checkbox, hidden or OAuth parameter is either meaningless or refused by Zendesk.
 */
export const SECURABLE_TYPES: readonly string[] = ['text', 'password', 'url', 'number', 'multiline'];

/** Parameter names that hold secrets and therefore must be `secure`. */
export const SECRET_NAME = /token|key|secret|password|pwd/i;

export const FRAMEWORK_VERSIONS: readonly string[] = ['2.0'];

export const HOST_LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  support: [
    'top_bar',
    'nav_bar',
    'ticket_sidebar',
    'new_ticket_sidebar',
    'user_sidebar',
    'organization_sidebar',
    'background',
    'modal',
    'ticket_editor',
    'system_top_bar',
  ],
  chat: ['chat_sidebar', 'background'],
  sell: ['top_bar', 'background', 'deal_card', 'lead_card', 'person_card', 'company_card', 'note_editor', 'modal'],
};

export const LOCATION_OPTION_KEYS = ['url', 'flexible', 'autoLoad', 'autoHide', 'size'] as const;

export const LOCALE = /^[a-z]{2}(-[A-Za-z0-9]{2,3})?$/;

export const OAUTH_FIELDS = ['client_id', 'client_secret', 'authorize_uri', 'access_token_uri'] as const;

export const APP_TEXT_KEYS = ['name', 'short_description', 'long_description', 'installation_instructions'] as const;

/** Marketplace limit on the app's name; also what fits the sidebar header. */
export const MAX_NAME_LENGTH = 40;

export const REQUIRED_LOCALES: readonly string[] = ['en', 'bg', 'de'];

export const LOGO_FILES: readonly string[] = ['assets/logo.png', 'assets/logo-small.png'];
