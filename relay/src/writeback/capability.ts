import type { Capability } from '../capability.js';
import { writebackRoutes } from './routes.js';
import { writebackSchema } from './schema.js';

/** The call's note on the ticket: presence in every room, the outbox, the sidebar's note status. */
export const writebackCapability: Capability = {
  name: 'writeback',
  schema: writebackSchema,
  roomFeature: ({ callNotes }) => callNotes?.roomFeature ?? null,
  routes: ({ sessions, callNotes }) =>
    writebackRoutes({
      sessions,
      noteStatus: async (id) => (callNotes ? callNotes.noteStatus(id) : null),
      callStartedAt: async (id) => (callNotes ? callNotes.callStartedAt(id) : null),
    }),
};
