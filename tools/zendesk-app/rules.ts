/**
 * The rules Zendesk applies when an app package is uploaded, as written in its validator, the
 * zendesk_apps_support gem (lib/zendesk_apps_support/manifest/*.rb, validations/*.rb), as far as
 * this project relies on them; plus the project's own requirements (private, signed URLs, a ticket
 * sidebar and a console modal, en/bg/de translations). `zcli apps:validate` remains the real check.
 */

/** manifest/parameter.rb: `password` was removed, so Zendesk refuses it. */
export const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth', 'mtls'] as const;

/**
 * Secure values are only ever substituted into requests as strings by Zendesk's proxy;
 * a secure checkbox, hidden or OAuth parameter is either meaningless or refused by Zendesk.
 */
export const SECURABLE_TYPES: readonly string[] = ['text', 'url', 'number', 'multiline'];

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
    'custom_object_record_sidebar',
  ],
  chat: ['chat_sidebar', 'background'],
  sell: [
    'top_bar',
    'background',
    'deal_card',
    'lead_card',
    'person_card',
    'company_card',
    'note_editor',
    'modal',
    'dashboard',
    'call_log_editor',
    'email_editor',
    'visit_editor',
  ],
};

/** manifest/location_options.rb (per-location `signed` included). */
export const LOCATION_OPTION_KEYS = ['url', 'flexible', 'autoLoad', 'autoHide', 'size', 'signed', 'legacy', 'objectTypes'] as const;

/** validations/translations.rb: two- or three-letter languages, optional region. */
export const LOCALE = /^[a-z]{2,3}(-\w{2,3})?$/;

export const OAUTH_FIELDS = ['client_id', 'client_secret', 'authorize_uri', 'access_token_uri'] as const;

export const APP_TEXT_KEYS = ['name', 'short_description', 'long_description', 'installation_instructions'] as const;

/** Marketplace limit on the app's name; also what fits the sidebar header. */
export const MAX_NAME_LENGTH = 40;

export const REQUIRED_LOCALES: readonly string[] = ['en', 'bg', 'de'];

export const LOGO_FILES: readonly string[] = ['assets/logo.png', 'assets/logo-small.png'];
