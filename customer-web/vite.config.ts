import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const PRE_CONSENT = '?pre-consent';

/**
 * The consent screen checks the invite with zod's tree-shakeable build (protocol's invite module).
 * A module lands in one chunk with everything any chunk uses of it, so sharing zod's core with the
 * call (which uses full zod) would put all of that core before consent. This gives the invite
 * module its own copy of zod/mini and its core, shaken to what the invite schema uses (~6 KiB gzip);
 * zod's schemas recognise each other by traits, not by identity, so the two copies compose.
 */
function preConsentZod(): Plugin {
  return {
    name: 'live-assist:pre-consent-zod',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer) return null;
      const fromInvite = source === 'zod/mini' && /[\\/]protocol[\\/]dist[\\/]invite\.js$/.test(importer);
      if (!fromInvite && !importer.endsWith(PRE_CONSENT)) return null;
      const resolved = await this.resolve(source, importer.replace(PRE_CONSENT, ''), { ...options, skipSelf: true });
      return resolved ? { ...resolved, id: `${resolved.id}${PRE_CONSENT}` } : null;
    },
  };
}

// @live-assist/protocol and client-core resolve through their package `exports` to their built
// `dist` (run `tsc -b` first), exactly as the relay consumes them; no source aliases.
export default defineConfig({
  base: '/customer/',
  plugins: [preConsentZod(), react()],
  resolve: {
    // The page is written against React's API and runs on Preact's compatibility layer: ~40 KiB
    // less gzip before the consent screen (react-dom alone was over half the entry chunk), which a
    // phone on a slow link waits for, and less to parse on a slow CPU. The console stays on React.
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Maps for reading a stack trace from a bug report, never linked from the scripts: the relay
    // does not serve them, so the source is not public (dist-files.ts).
    sourcemap: 'hidden',
    // dist/.vite/manifest.json: the relay reads which hashed chunk holds each language, to preload
    // the customer's with the page (relay/src/sessions/join-page.ts). Not served.
    manifest: true,
    rollupOptions: {
      output: {
        // twilio-video in a chunk of its own, fetched only for a Twilio call (TwilioTransport's
        // dynamic import); folded into the call chunk, its CommonJS exports did not come through.
        manualChunks: (id) => (/[\\/]node_modules[\\/]twilio-video[\\/]/.test(id) ? 'twilio-video' : undefined),
      },
    },
  },
});
