/**
 * The Freshworks app rules `fdk validate` applies that this project can check offline (the FDK CLI
 * is not installable here: ../shared/reviews/freshdesk.md §1). Each rule answers the errors it
 * finds, in words close to FDK's own, on an app read into memory (so a test breaks a copy).
 */

export interface AppFiles {
  manifest: Record<string, unknown>;
  iparams: Record<string, Record<string, unknown>>;
  requests: Record<string, { schema?: Record<string, unknown>; options?: Record<string, unknown> }>;
  /** Every file of the app folder by its path from the folder (forward slashes), with its bytes. */
  files: Record<string, Buffer>;
}

type Rule = (app: AppFiles) => string[];

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export const MAX_PACKAGE_BYTES = 5_000_000;
const IPARAM_TYPES = [
  'text',
  'paragraph',
  'dropdown',
  'email',
  'number',
  'phone_number',
  'date',
  'url',
  'radio',
  'checkbox',
  'multiselect',
  'domain',
  'api_key',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
/** A host name: labels of letters, digits and hyphens, at least one dot, no scheme, port or path. */
const FQDN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const PLACEHOLDER = /<%=\s*([\w.]+)\s*%>/g;
const WELL_FORMED = /^(iparam|context)\.[A-Za-z_]\w*$/;

export const manifestRules: Record<string, Rule> = {
  platformVersion: (a) => (a.manifest['platform-version'] === '3.0' ? [] : ['manifest.json: "platform-version" must be "3.0"']),
  noName: (a) => ('name' in a.manifest ? ['manifest.json: must NOT have additional properties ("name")'] : []),
  noWhitelistedDomains: (a) => ('whitelisted-domains' in a.manifest ? ['manifest.json: "whitelisted-domains" has been deprecated'] : []),
  ticketSidebar: (a) => {
    const sidebar = obj(obj(obj(obj(a.manifest.modules).support_ticket).location).ticket_sidebar);
    const errors: string[] = [];
    for (const key of ['url', 'icon'] as const) {
      const value = sidebar[key];
      if (typeof value !== 'string') errors.push(`manifest.json: modules.support_ticket.location.ticket_sidebar.${key} is required`);
      else if (!(`app/${value}` in a.files))
        errors.push(`manifest.json: ${key === 'icon' ? 'Icon' : 'Page'} 'app/${value}' not found in app folder`);
    }
    return errors;
  },
  requestsListed: (a) => {
    const listed = Object.keys(obj(obj(obj(a.manifest.modules).common).requests));
    const defined = Object.keys(a.requests);
    return [
      ...defined
        .filter((name) => !listed.includes(name))
        .map((name) => `manifest.json: request template "${name}" is not listed in modules.common.requests`),
      ...listed
        .filter((name) => !defined.includes(name))
        .map((name) => `manifest.json: modules.common.requests names "${name}", which config/requests.json does not define`),
      ...(listed.length === 0 ? ['manifest.json: modules.common.requests must NOT have fewer than 1 properties'] : []),
    ];
  },
  appClient: (a) => {
    const html = a.files['app/index.html']?.toString('utf8') ?? '';
    const scripts = Object.entries(a.files).filter(([path]) => path.startsWith('app/scripts/') && !path.includes('/vendor/'));
    return [
      ...(html.includes('{{{appclient}}}') ? [] : ['app/index.html: must load {{{appclient}}}']),
      ...(scripts.some(([, text]) => text.toString('utf8').includes('app.initialized()'))
        ? []
        : ['app/scripts: nothing awaits app.initialized()']),
    ];
  },
};

export const iparamRules: Record<string, Rule> = {
  oneSettingsPage: (a) => ('config/iparams.html' in a.files ? ['config: cannot have both iparams.json and iparams.html'] : []),
  fields: (a) =>
    Object.entries(a.iparams).flatMap(([key, p]) => [
      ...(typeof p.display_name === 'string' && p.display_name ? [] : [`config/iparams.json: ${key}.display_name is required`]),
      ...(IPARAM_TYPES.includes(String(p.type)) ? [] : [`config/iparams.json: ${key}.type "${String(p.type)}" is not an iparam type`]),
      ...(['domain', 'api_key'].includes(String(p.type)) && !obj(p.type_attributes).product
        ? [`config/iparams.json: ${key} needs type_attributes.product`]
        : []),
    ]),
  secureLooking: (a) =>
    Object.entries(a.iparams)
      .filter(([key, p]) => /secret|token|password|api_?key/i.test(key) && p.secure !== true)
      .map(([key]) => `config/iparams.json: ${key} appears to be a secure param but it isn't marked as secure`),
};

/** Where in a template a value sits: host, path, query, headers or body. */
function placesOf(schema: Record<string, unknown>): [string, string][] {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  return [
    ['host', text(schema.host)],
    ['path', text(schema.path)],
    ['query', text(schema.query)],
    ['headers', text(schema.headers)],
    ['body', text(schema.body)],
  ];
}

function placeholderErrors(a: AppFiles, name: string, place: string, text: string): string[] {
  const errors: string[] = [];
  if (/\{\{[^}]*\}\}/.test(text))
    errors.push(`config/requests.json: ${name}.${place} uses {{…}}; write <%= iparam.x %> or <%= context.x %>`);
  for (const [, ref] of text.matchAll(PLACEHOLDER)) {
    if (!ref || !WELL_FORMED.test(ref)) {
      errors.push(`config/requests.json: ${name}.${place}: "${ref}" is neither iparam.<name> nor context.<name>`);
      continue;
    }
    const [kind, key] = ref.split('.') as [string, string];
    const iparam = a.iparams[key];
    if (kind === 'iparam' && !iparam)
      errors.push(`config/requests.json: ${name}.${place} names iparam.${key}, which config/iparams.json does not define`);
    if (kind === 'iparam' && iparam?.secure === true && place !== 'headers')
      errors.push(`config/requests.json: ${name}.${place}: secure iparam.${key} may only be used in headers`);
    // An optional setting left empty renders as nothing: harmless in a header the relay reads as
    // "unset", a broken request in the host or path.
    if (kind === 'iparam' && iparam && iparam.required !== true && (place === 'host' || place === 'path'))
      errors.push(`config/requests.json: ${name}.${place}: optional iparam.${key} may render empty; only a required one fits the ${place}`);
    if (kind === 'context' && (place === 'host' || place === 'headers'))
      errors.push(`config/requests.json: ${name}.${place}: the app's frontend cannot put context into ${place}`);
  }
  return errors;
}

export const requestRules: Record<string, Rule> = {
  shape: (a) =>
    Object.entries(a.requests).flatMap(([name, template]) => {
      const schema = obj(template.schema);
      const attempts = obj(template.options).maxAttempts;
      return [
        ...(schema.protocol === undefined || schema.protocol === 'https' ? [] : [`config/requests.json: ${name}.protocol must be https`]),
        ...(METHODS.includes(String(schema.method)) ? [] : [`config/requests.json: ${name}.method must be one of ${METHODS.join(', ')}`]),
        ...(typeof schema.path === 'string' && schema.path.startsWith('/') ? [] : [`config/requests.json: ${name}.path must start with /`]),
        ...(attempts === undefined || (Number.isInteger(attempts) && Number(attempts) >= 1 && Number(attempts) <= 5)
          ? []
          : [`config/requests.json: ${name}.options.maxAttempts must be 1 to 5`]),
      ];
    }),
  bareHost: (a) =>
    Object.entries(a.requests).flatMap(([name, template]) => {
      const host = obj(template.schema).host;
      const onlyIparam = typeof host === 'string' && /^<%=\s*iparam\.\w+\s*%>$/.test(host);
      return onlyIparam || (typeof host === 'string' && FQDN.test(host))
        ? []
        : [`config/requests.json: ${name}: schema/host must be FQDN (got ${JSON.stringify(host)})`];
    }),
  placeholders: (a) =>
    Object.entries(a.requests).flatMap(([name, template]) =>
      placesOf(obj(template.schema)).flatMap(([place, text]) => placeholderErrors(a, name, place, text)),
    ),
};

export const packageRules: Record<string, Rule> = {
  size: (a) => {
    const bytes = Object.values(a.files).reduce((sum, file) => sum + file.length, 0);
    return bytes <= MAX_PACKAGE_BYTES ? [] : [`Package size exceeds the 5MB limit (${bytes} bytes)`];
  },
};

export const RULES: Record<string, Rule> = { ...manifestRules, ...iparamRules, ...requestRules, ...packageRules };

export function checkStructure(app: AppFiles): string[] {
  return Object.values(RULES).flatMap((rule) => rule(app));
}
