import { annotationStore } from '../annotations/store.js';
import { SCHEMAS } from '../capabilities.js';
import { chatRepository } from '../chat/store.js';
import { journeyRepository } from '../journey/store.js';
import { nameplateFieldMapRepository } from '../nameplate/field-map.js';
import { nameplateRepository } from '../nameplate/store.js';
import { privacyRepository } from '../privacy/store.js';
import { uploadRepository } from '../uploads/store.js';
import { openDatabase, type Database, type DatabaseTarget } from './database.js';
import { migrate } from './migrate.js';
import type { Storage } from './repository.js';
import { agentSessionRepository, participantRepository, sessionRepository } from '../sessions/store.js';

export { SCHEMAS };

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
    nameplates: nameplateRepository(database),
    nameplateFieldMaps: nameplateFieldMapRepository(database),
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
