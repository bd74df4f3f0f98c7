import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  APP_TEXT_KEYS,
  FRAMEWORK_VERSIONS,
  HOST_LOCATIONS,
  LOCALE,
  LOCATION_OPTION_KEYS,
  LOGO_FILES,
  MAX_NAME_LENGTH,
  OAUTH_FIELDS,
  PARAMETER_TYPES,
  REQUIRED_LOCALES,
  SECRET_NAME,
  SECURABLE_TYPES,
} from './rules.js';

export interface CheckOptions {
  /** Locales that must have a translation file. Default: en, bg, de. */
  requiredLocales?: readonly string[];
  /** Paths inside the package (e.g. "assets/logo.png"); when given, referenced files must exist. */
  files?: readonly string[];
}

export interface CheckResult {
  errors: string[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Parameter {
  name: string;
  type: string;
}

/**
 * Checks a ZAF v2 manifest and its translations (locale → parsed JSON) the way Zendesk does on
 * upload, since Zendesk's validator cannot run offline. Pure: no file access.
 */
export function checkManifest(manifest: unknown, translations: Record<string, unknown>, options: CheckOptions = {}): CheckResult {
  const errors: string[] = [];
  const err = (message: string) => errors.push(message);
  if (!isObj(manifest)) return { errors: ['manifest.json must be a JSON object'] };

  if (!isText(manifest.name)) err('name is required');
  checkAuthor(manifest.author, err);

  if (!isText(manifest.defaultLocale)) err('defaultLocale is required');
  else if (!LOCALE.test(manifest.defaultLocale)) err(`defaultLocale "${manifest.defaultLocale}" is not a valid locale`);
  else if (!(manifest.defaultLocale in translations)) err(`translations/${manifest.defaultLocale}.json (the default locale) is missing`);

  if (manifest.private !== true) err('private must be true: Live Assist is installed as a private app');
  if (manifest.signedUrls !== true) err('signedUrls must be true: the relay authenticates agents by signed URLs');
  if (!isText(manifest.version)) err('version is required (a string)');
  if (manifest.frameworkVersion === undefined) err('frameworkVersion is required');
  else if (typeof manifest.frameworkVersion !== 'string' || !FRAMEWORK_VERSIONS.includes(manifest.frameworkVersion)) {
    err(`frameworkVersion must be one of ${FRAMEWORK_VERSIONS.join(', ')} (got ${JSON.stringify(manifest.frameworkVersion)})`);
  }
  if (manifest.domainWhitelist !== undefined) {
    const list = manifest.domainWhitelist;
    if (!Array.isArray(list) || !list.every((d) => typeof d === 'string')) err('domainWhitelist must be an array of strings');
  }

  const parameters = checkParameters(manifest, err);
  checkLocations(manifest.location, parameters, options.files, err);
  checkTranslations(translations, parameters, options.requiredLocales ?? REQUIRED_LOCALES, err);
  if (options.files) {
    for (const logo of LOGO_FILES) if (!options.files.includes(logo)) err(`${logo} is missing from the package`);
  }
  return { errors };
}

function checkAuthor(author: unknown, err: (m: string) => void): void {
  if (!isObj(author)) {
    err('author is required (an object with name, email and url)');
    return;
  }
  if (!isText(author.name)) err('author.name is required');
  if (!isText(author.email)) err('author.email is required');
  else if (!EMAIL.test(author.email)) err(`author.email "${author.email}" is not an email address`);
  if (!isText(author.url)) err('author.url is required');
  else if (!/^https?:\/\/[^\s/]+/.test(author.url)) err(`author.url "${author.url}" must be an http(s) URL`);
}

function checkParameters(manifest: Obj, err: (m: string) => void): Parameter[] {
  const raw = manifest.parameters ?? [];
  if (!Array.isArray(raw)) {
    err('parameters must be an array');
    return [];
  }
  const seen = new Set<string>();
  const result: Parameter[] = [];
  raw.forEach((p: unknown, i) => {
    if (!isObj(p) || !isText(p.name)) {
      err(`parameters[${i}] needs a name`);
      return;
    }
    const { name } = p;
    const where = `parameter "${name}"`;
    if (!/^[A-Za-z0-9_]+$/.test(name)) err(`${where}: a name may only contain letters, digits and _`);
    if (name === 'name') err(`${where}: "name" is reserved`);
    if (seen.has(name)) err(`${where} is declared twice`);
    seen.add(name);
    const type = p.type === undefined ? 'text' : p.type;
    if (typeof type !== 'string' || !(PARAMETER_TYPES as readonly string[]).includes(type)) {
      err(`${where}: unknown type ${JSON.stringify(type)} (allowed: ${PARAMETER_TYPES.join(', ')})`);
    }
    const typeName = typeof type === 'string' ? type : '';
    for (const flag of ['required', 'secure'] as const) {
      if (p[flag] !== undefined && typeof p[flag] !== 'boolean') err(`${where}: ${flag} must be true or false`);
    }
    if (p.secure === true && !SECURABLE_TYPES.includes(typeName)) err(`${where}: secure is not allowed on a ${typeName} parameter`);
    if (p.secure === true && 'default' in p) err(`${where}: a secure parameter cannot have a default (the manifest is not secret)`);
    if (typeName === 'hidden' && p.required === true) err(`${where}: a hidden parameter cannot be required`);
    if (SECRET_NAME.test(name) && typeName === 'text' && p.secure !== true) {
      err(`${where} holds a secret and must be secure`);
    }
    result.push({ name, type: typeName });
  });
  const oauth = result.filter((p) => p.type === 'oauth');
  if (oauth.length > 1) err('only one oauth parameter is allowed');
  if (manifest.oauth !== undefined) {
    const o = isObj(manifest.oauth) ? manifest.oauth : {};
    const missing = OAUTH_FIELDS.filter((f) => !isText(o[f]));
    if (missing.length > 0) err(`oauth is missing ${missing.join(', ')}`);
    if (oauth.length === 0) err('oauth needs a parameter of type oauth');
  }
  return result;
}

function checkLocations(location: unknown, parameters: Parameter[], files: readonly string[] | undefined, err: (m: string) => void): void {
  if (!isObj(location) || Object.keys(location).length === 0) {
    err('location is required');
    return;
  }
  for (const [host, locations] of Object.entries(location)) {
    const known = HOST_LOCATIONS[host];
    if (!known) {
      err(`location: unknown host "${host}"`);
      continue;
    }
    if (!isObj(locations)) {
      err(`location.${host} must be an object of locations`);
      continue;
    }
    for (const [name, value] of Object.entries(locations)) {
      const where = `location.${host}.${name}`;
      if (!known.includes(name)) err(`${where} is not a ${host} location`);
      const options = typeof value === 'string' ? { url: value } : value;
      if (!isObj(options)) {
        err(`${where} must be a URL or an object with a url`);
        continue;
      }
      for (const key of Object.keys(options)) {
        if (!(LOCATION_OPTION_KEYS as readonly string[]).includes(key)) err(`${where}: unknown option "${key}"`);
      }
      if (options.flexible !== undefined && typeof options.flexible !== 'boolean') err(`${where}.flexible must be true or false`);
      if (options.signed !== undefined && typeof options.signed !== 'boolean') err(`${where}.signed must be true or false`);
      if (options.url === undefined && options.autoLoad !== false) err(`${where}.url is required`);
      else if (options.url !== undefined) checkLocationUrl(where, options.url, parameters, files, err);
    }
  }
  const support = isObj(location.support) ? location.support : {};
  if (!('ticket_sidebar' in support)) err('location.support.ticket_sidebar is required: Live Assist lives in the ticket sidebar');
  // Zendesk's modal reference: a server-side modal with signed URLs is loaded only from the
  // manifest, never from instances.create's url; the console is such a modal.
  if (!('modal' in support)) err('location.support.modal is required: the specialist console is a signed server-side modal');
  for (const [name, value] of Object.entries(support)) {
    const url = typeof value === 'string' ? value : isObj(value) ? value.url : undefined;
    if (typeof url === 'string' && url.startsWith('assets/') && 'modal' in support) {
      err(`location.support.${name}: with a server-side modal every location must be server-side (got ${url})`);
    }
  }
}

/** Keys that appear twice in one JSON object: JSON.parse keeps the last silently, Zendesk refuses them. */
export function duplicateKeys(jsonText: string): string[] {
  const found: string[] = [];
  const stack: Set<string>[] = [];
  const re = /"(?:[^"\\]|\\.)*"\s*:|[{}[\]]/g;
  for (const m of jsonText.matchAll(re)) {
    const token = m[0];
    if (token === '{') stack.push(new Set());
    else if (token === '}') stack.pop();
    else if (token === '[' || token === ']') continue;
    else {
      const key = JSON.parse(token.slice(0, token.lastIndexOf(':')).trim()) as string;
      const keys = stack.at(-1);
      if (keys?.has(key)) found.push(key);
      keys?.add(key);
    }
  }
  return found;
}

function checkLocationUrl(
  where: string,
  url: unknown,
  parameters: Parameter[],
  files: readonly string[] | undefined,
  err: (m: string) => void,
): void {
  if (!isText(url)) {
    err(`${where}.url must be a non-empty string`);
    return;
  }
  // Zendesk substitutes {{setting.name}} at load time; the named setting must exist.
  const settings = [...url.matchAll(/\{\{\s*setting\.([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? '');
  if (settings.length > 0) {
    for (const s of settings) if (!parameters.some((p) => p.name === s)) err(`${where}.url uses undeclared setting "${s}"`);
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (!parsed || parsed.protocol !== 'https:' || !parsed.hostname)
      err(`${where}.url "${url}" must be an absolute https URL or an assets/ path`);
    return;
  }
  if (!url.startsWith('assets/') || url.split(/[?#]/)[0]!.split('/').includes('..')) {
    err(`${where}.url "${url}" must be an absolute https URL or a path under assets/`);
    return;
  }
  const path = url.split(/[?#]/)[0]!;
  if (files && !files.includes(path)) err(`${where}.url "${url}" names a file missing from the package`);
}

function checkTranslations(
  translations: Record<string, unknown>,
  parameters: Parameter[],
  requiredLocales: readonly string[],
  err: (m: string) => void,
): void {
  for (const locale of requiredLocales) if (!(locale in translations)) err(`translations/${locale}.json is missing`);
  for (const [locale, content] of Object.entries(translations)) {
    const file = `translations/${locale}.json`;
    if (!LOCALE.test(locale)) err(`${file}: "${locale}" is not a valid locale`);
    const app = isObj(content) ? content.app : undefined;
    if (!isObj(app)) {
      err(`${file}: an "app" object is required`);
      continue;
    }
    for (const key of APP_TEXT_KEYS) if (!isText(app[key])) err(`${file}: app.${key} is required`);
    if (isText(app.name) && app.name.length > MAX_NAME_LENGTH) err(`${file}: app.name is longer than ${MAX_NAME_LENGTH} characters`);
    const labels = isObj(app.parameters) ? app.parameters : {};
    for (const p of parameters) {
      const entry = labels[p.name];
      if (!isObj(entry) || !isText(entry.label)) err(`${file}: app.parameters.${p.name}.label is required`);
      if (!isObj(entry) || !isText(entry.helpText)) err(`${file}: app.parameters.${p.name}.helpText is required`);
    }
    for (const name of Object.keys(labels)) {
      if (!parameters.some((p) => p.name === name)) err(`${file}: app.parameters.${name} names no manifest parameter`);
    }
  }
}

/** Reads manifest.json and translations/*.json from an app folder. */
export function readAppSource(dir: string): { manifest: unknown; translations: Record<string, unknown> } {
  const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) throw new Error(`manifest.json has duplicate keys: ${duplicates.join(', ')}`);
  const manifest: unknown = JSON.parse(text);
  const translations: Record<string, unknown> = {};
  for (const file of readdirSync(join(dir, 'translations'))) {
    if (!file.endsWith('.json')) continue;
    translations[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, 'translations', file), 'utf8'));
  }
  return { manifest, translations };
}

function main(): void {
  const dir = resolve(process.argv[2] ?? '.');
  let source: ReturnType<typeof readAppSource>;
  try {
    source = readAppSource(dir);
  } catch (error) {
    console.error(`cannot read the app in ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const { errors } = checkManifest(source.manifest, source.translations);
  if (errors.length === 0) {
    console.log(`manifest.json and ${Object.keys(source.translations).length} translations in ${dir}: OK`);
    return;
  }
  for (const e of errors) console.error(`✗ ${e}`);
  process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) main();
