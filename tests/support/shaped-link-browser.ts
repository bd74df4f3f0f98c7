import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchBrowser } from './browser.js';

const shellQuoted = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The phone's Chromium inside a shaped link's network namespace (shaped-link.ts), so every byte it
 * sends or receives (pages, the relay's WebSocket, WebRTC media) crosses the link. Playwright
 * starts the executable it is given and talks to it over a pipe (inherited file descriptors), which
 * `ip netns exec` passes on; so a two-line wrapper is all it takes, with the usual flags.
 */
export async function launchBrowserIn(
  namespace: string,
  extraArgs: string[] = [],
  opts: { answerMediaPrompts?: boolean } = {},
): Promise<Browser> {
  // The name goes into a shell script: only the characters our own names use.
  if (!/^[\w.-]+$/.test(namespace)) throw new Error(`not a namespace name: ${namespace}`);
  const dir = mkdtempSync(join(tmpdir(), 'live-assist-netns-chromium-'));
  const wrapper = join(dir, 'chromium');
  // `exec` all the way down: Playwright's pid is Chromium's, so closing the browser ends it.
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ${shellQuoted(CHROMIUM_PATH)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    return await launchBrowser(extraArgs, { ...opts, executablePath: wrapper });
  } finally {
    // Once launched, the wrapper has exec'd into Chromium: nothing reads it again.
    rmSync(dir, { recursive: true, force: true });
  }
}
