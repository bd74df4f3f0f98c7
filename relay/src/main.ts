import { loadConfig } from './config/index.js';
import { runAsMain } from './run-main.js';
import { startServer } from './server.js';

// The production entry point: the helpdesk comes from the environment, or the relay refuses to start.
// Local development runs the sandbox's entry point instead (`npm start`).
runAsMain(async () => ({ server: await startServer(loadConfig(process.env)) }));
