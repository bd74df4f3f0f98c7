/**
 * The raw limit's server in a process of its own, like the relay, so its CPU and memory read the
 * same way and it shares no event loop with the load generator. Started by bare.ts.
 */
import { startBareServer } from '../bare-server.js';

const bare = await startBareServer();
process.send!({ url: bare.url });
process.on('disconnect', () => void bare.close().then(() => process.exit(0)));
