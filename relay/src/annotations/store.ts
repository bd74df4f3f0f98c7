import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import { AnnotationStateSchema, type AnnotationState } from '@live-assist/protocol';

/** Where a session's current marks, freeze and snapshot list live between relay restarts. */
export interface AnnotationStore {
  load(sessionId: string): Promise<AnnotationState | null>;
  save(sessionId: string, state: AnnotationState): Promise<void>;
}

export const emptyAnnotationState = (): AnnotationState => ({ marks: [], freeze: null, snapshots: [] });

export const annotationsSchema: SchemaOwner = {
  name: 'annotations',
  migrations: [
    {
      version: 1,
      name: "a session's current marks, freeze and snapshot list",
      sql: `
        CREATE TABLE annotation_state (
          session_id TEXT PRIMARY KEY,
          state_json TEXT NOT NULL,
          updated_at BIGINT NOT NULL
        )
      `,
    },
  ],
};

export interface AnnotationTables {
  annotation_state: { session_id: string; state_json: string; updated_at: number };
}

export function annotationStore(database: Database, now: () => number = Date.now): AnnotationStore {
  const db = tables<AnnotationTables>(database);
  return {
    async load(sessionId) {
      const row = await db.selectFrom('annotation_state').select('state_json').where('session_id', '=', sessionId).executeTakeFirst();
      if (!row) return null;
      // Stored by this code, but a schema change between versions must not crash a room.
      const parsed = AnnotationStateSchema.safeParse(JSON.parse(row.state_json));
      return parsed.success ? parsed.data : null;
    },
    async save(sessionId, state) {
      const values = { state_json: JSON.stringify(state), updated_at: now() };
      await db
        .insertInto('annotation_state')
        .values({ session_id: sessionId, ...values })
        .onConflict((oc) => oc.column('session_id').doUpdateSet(values))
        .execute();
    },
  };
}

export function memoryAnnotationStore(): AnnotationStore & { saved: Map<string, AnnotationState> } {
  const saved = new Map<string, AnnotationState>();
  return {
    saved,
    load: (id) => Promise.resolve(saved.has(id) ? structuredClone(saved.get(id)!) : null),
    save: (id, state) => {
      saved.set(id, structuredClone(state));
      return Promise.resolve();
    },
  };
}
