import { defineConfig } from 'vitest/config';

const ignored = ['**/node_modules/**', '**/dist/**', '**/.tsbuild/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx', 'freshdesk-app/tests/**/*.test.js'],
          exclude: [...ignored, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
          // vitest's 5 s default is too close to what an image or SDK test takes on a busy machine.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // expect.poll waits on a state, never on the machine's speed: 1 s (vitest's default) is
          // not enough for a busy two-core CI machine.
          expect: { poll: { timeout: 10_000, interval: 50 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude: ignored,
          // A backstop at several times a test's idle run; long tests set their own, longer limit.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: 20_000, interval: 100 } },
          // One browser-heavy file at a time: CI has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
