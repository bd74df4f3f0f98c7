import type Database from 'better-sqlite3';
import { AnnotationStateSchema, type AnnotationState } from '@live-assist/protocol';

/** Where a session's current marks, freeze and snapshot list live between relay restarts. */
export interface AnnotationStore {
  load(sessionId: string): Promise<AnnotationState | null>;
  save(sessionId: string, state: AnnotationState): Promise<void>;
}

export const emptyAnnotationState = (): AnnotationState => ({ marks: [], freeze: null, snapshots: [] });

/** Idempotent: the feature owns its table (docs/contract.md "Feature extension points"). */
export function migrateAnnotations(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS annotation_state (
    session_id TEXT PRIMARY KEY,
    state_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  )`);
}

export function sqliteAnnotationStore(db: Database.Database, now: () => number = Date.now): AnnotationStore {
  migrateAnnotations(db);
  const select = db.prepare('SELECT state_json FROM annotation_state WHERE session_id = ?');
  const upsert = db.prepare(`INSERT INTO annotation_state (session_id, state_json, updated_at) VALUES (?, ?, ?)
    ON CONFLICT(session_id) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at`);
  return {
    load(sessionId) {
      const row = select.get(sessionId) as { state_json: string } | undefined;
      if (!row) return Promise.resolve(null);
      // Stored by this code, but a schema change between versions must not crash a room.
      const parsed = AnnotationStateSchema.safeParse(JSON.parse(row.state_json));
      return Promise.resolve(parsed.success ? parsed.data : null);
    },
    save(sessionId, state) {
      upsert.run(sessionId, JSON.stringify(state), now());
      return Promise.resolve();
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
