import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the relay under /app/ (signed-URL loads POST to /app/<location>).
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden' /* not served: see relay dist-files.ts */ },
});
