import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// @live-assist/protocol and client-core resolve through their package `exports` to their built
// `dist` (run `tsc -b` first), exactly as the relay consumes them; no source aliases.
export default defineConfig({
  base: '/customer/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
