import { blobsSchema } from '../blobs/database.js';
import { annotationsSchema, annotationStore } from '../features/annotations/store.js';
import { chatRepository, chatSchema } from '../features/chat/store.js';
import { journeyRepository, journeySchema } from '../journey/store.js';
import { privacyRepository, privacySchema } from '../privacy/store.js';
import { uploadRepository, uploadsSchema } from '../uploads/store.js';
import { writebackSchema } from '../writeback/schema.js';
import { openDatabase, type Database, type DatabaseTarget } from './database.js';
import { migrate, type SchemaOwner } from './migrate.js';
import type { Storage } from './repository.js';
import { agentSessionRepository, participantRepository, sessionRepository, sessionsSchema } from './sessions-store.js';

/** Every capability's tables; `migrate` orders them by what they reference. */
export const SCHEMAS: readonly SchemaOwner[] = [
  sessionsSchema,
  journeySchema,
  chatSchema,
  uploadsSchema,
  annotationsSchema,
  writebackSchema,
  privacySchema,
  blobsSchema,
];

/** The repositories over one database whose schema is current. */
export function storageOn(database: Database): Storage {
  return {
    database,
    sessions: sessionRepository(database),
    participants: participantRepository(database),
    agentSessions: agentSessionRepository(database),
    journey: journeyRepository(database),
    chat: chatRepository(database),
    uploads: uploadRepository(database),
    annotations: annotationStore(database),
    privacy: privacyRepository(database),
    close: () => database.close(),
  };
}

/** Opens the database (creating a SQLite file if needed) and applies pending migrations. */
export async function openStorage(target: DatabaseTarget): Promise<Storage> {
  const database = openDatabase(target);
  try {
    await migrate(database, SCHEMAS);
  } catch (error) {
    await database.close();
    throw error;
  }
  return storageOn(database);
}
