import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startServer } from '../../relay/src/index.js';

export interface RunningProduct {
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The whole product as `npm start` runs it (relay + sandbox), on a free port with its own data dir. */
export async function startProduct(env: Record<string, string> = {}): Promise<RunningProduct> {
  const dataDir = mkdtempSync(join(tmpdir(), 'live-assist-e2e-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, ...env });
  const server = await startServer(config);
  return {
    url: server.url,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
