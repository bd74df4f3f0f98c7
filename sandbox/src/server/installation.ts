import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The app's locations Zendesk can sign a load for; the sandbox hosts no others. */
export const SIGNED_LOCATIONS = ['ticket_sidebar', 'modal'] as const;
export type SignedLocation = (typeof SIGNED_LOCATIONS)[number];

const LocationSchema = z.union([z.string().min(1), z.looseObject({ url: z.string().min(1).optional() })]);
const ManifestSchema = z.looseObject({
  signedUrls: z.boolean().optional(),
  location: z.looseObject({ support: z.record(z.string(), LocationSchema).optional() }),
});

/** What is installed: the manifest's declared support locations, with the installation's settings filled in. */
export interface Installation {
  settings: Record<string, string>;
  signedUrls: boolean;
  /** Resolved URL per declared location; a location absent here is not declared. */
  locations: Partial<Record<SignedLocation, string>>;
}

// Both src/server (tests) and dist/server (built) sit two levels below the package root.
const REPO_MANIFEST = fileURLToPath(new URL('../../../manifest.json', import.meta.url));

export function readRepoManifest(): unknown {
  return JSON.parse(readFileSync(REPO_MANIFEST, 'utf8'));
}

/** Fills `{{setting.name}}` the way Zendesk does for signed location URLs. */
function fillSettings(url: string, settings: Record<string, string>): string {
  return url.replace(/\{\{\s*setting\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const value = settings[name];
    if (value === undefined) throw new Error(`manifest location uses setting "${name}", which the installation does not have`);
    return value.replace(/\/+$/, '');
  });
}

export function installManifest(manifest: unknown, settings: Record<string, string>): Installation {
  const parsed = ManifestSchema.parse(manifest);
  const locations: Installation['locations'] = {};
  for (const name of SIGNED_LOCATIONS) {
    const declared = parsed.location.support?.[name];
    const url = typeof declared === 'string' ? declared : declared?.url;
    if (url) locations[name] = fillSettings(url, settings);
  }
  return { settings, signedUrls: parsed.signedUrls === true, locations };
}
