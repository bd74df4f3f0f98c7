import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The agent workspace host page; the relay serves dist/host under /sandbox/ through the sandbox router.
export default defineConfig({
  root: fileURLToPath(new URL('./src/host', import.meta.url)),
  base: '/sandbox/',
  build: {
    outDir: fileURLToPath(new URL('./dist/host', import.meta.url)),
    emptyOutDir: true,
  },
});
