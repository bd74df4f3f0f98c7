import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import { LocationOutcome, type CustomerLocation, type LocationReport } from '@live-assist/protocol';

/**
 * The customer's journey records: consent (one row per consent given; a reload or a new device
 * consents again) and the answer to the location step (latest answer wins). Nothing here is written
 * before the customer consented: both are recorded only for a joined participant.
 */
export const journeySchema: SchemaOwner = {
  name: 'journey',
  after: ['sessions'],
  migrations: [
    {
      version: 1,
      name: 'consents (with the words shown) and the location answer',
      sql: (t) => `
        CREATE TABLE journey_consents (
          id ${t.serial},
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          policy_version TEXT NOT NULL,
          locale TEXT NOT NULL,
          user_agent TEXT,
          consented_at BIGINT NOT NULL,
          consent_text TEXT
        );
        CREATE INDEX journey_consents_by_session ON journey_consents (session_id, consented_at);
        CREATE TABLE journey_locations (
          session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
          outcome TEXT NOT NULL CHECK (outcome IN ('shared', 'declined', 'denied', 'timeout', 'unavailable')),
          latitude DOUBLE PRECISION,
          longitude DOUBLE PRECISION,
          accuracy DOUBLE PRECISION,
          captured_at BIGINT,
          recorded_at BIGINT NOT NULL
        );
      `,
    },
  ],
};

export interface ConsentEntry {
  sessionId: string;
  policyVersion: string;
  locale: string;
  /** The consent screen's words in `locale`, as the page showed them; null for consents recorded before the text was. */
  consentText: string | null;
  /** As the browser sent it (trimmed to 512 characters); null when it sent none. */
  userAgent: string | null;
  consentedAt: number;
}

export type LocationEntry =
  | {
      outcome: typeof LocationOutcome.shared;
      latitude: number;
      longitude: number;
      accuracy: number;
      capturedAt: number;
      recordedAt: number;
    }
  | { outcome: Exclude<LocationOutcome, typeof LocationOutcome.shared>; recordedAt: number };

export interface JourneyRepository {
  recordConsent(entry: ConsentEntry): Promise<void>;
  /** Oldest first. */
  consents(sessionId: string): Promise<ConsentEntry[]>;
  /** Replaces any earlier answer of this session. */
  recordLocation(sessionId: string, report: LocationReport, recordedAt: number): Promise<LocationEntry>;
  findLocation(sessionId: string): Promise<LocationEntry | null>;
}

interface ConsentRow {
  id?: number;
  session_id: string;
  policy_version: string;
  locale: string;
  consent_text: string | null;
  user_agent: string | null;
  consented_at: number;
}

interface LocationRow {
  session_id: string;
  outcome: LocationOutcome;
  latitude: number | null;
  longitude: number | null;
  accuracy: number | null;
  captured_at: number | null;
  recorded_at: number;
}

function toLocation(r: LocationRow): LocationEntry {
  if (r.outcome === LocationOutcome.shared) {
    return {
      outcome: LocationOutcome.shared,
      latitude: r.latitude ?? 0,
      longitude: r.longitude ?? 0,
      accuracy: r.accuracy ?? 0,
      capturedAt: r.captured_at ?? r.recorded_at,
      recordedAt: r.recorded_at,
    };
  }
  return { outcome: r.outcome, recordedAt: r.recorded_at };
}

function entryFrom(report: LocationReport, recordedAt: number): LocationEntry {
  return report.outcome === LocationOutcome.shared
    ? {
        outcome: report.outcome,
        latitude: report.latitude,
        longitude: report.longitude,
        accuracy: report.accuracy,
        capturedAt: report.capturedAt,
        recordedAt,
      }
    : { outcome: report.outcome, recordedAt };
}

export interface JourneyTables {
  journey_consents: ConsentRow;
  journey_locations: LocationRow;
}

export function journeyRepository(database: Database): JourneyRepository {
  const db = tables<JourneyTables>(database);
  return {
    async recordConsent(c) {
      await db
        .insertInto('journey_consents')
        .values({
          session_id: c.sessionId,
          policy_version: c.policyVersion,
          locale: c.locale,
          consent_text: c.consentText,
          user_agent: c.userAgent?.slice(0, 512) ?? null,
          consented_at: c.consentedAt,
        })
        .execute();
    },
    async consents(sessionId) {
      const rows = await db
        .selectFrom('journey_consents')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('consented_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        sessionId: r.session_id,
        policyVersion: r.policy_version,
        locale: r.locale,
        consentText: r.consent_text,
        userAgent: r.user_agent,
        consentedAt: r.consented_at,
      }));
    },
    async recordLocation(sessionId, report, recordedAt) {
      const entry = entryFrom(report, recordedAt);
      const shared = entry.outcome === LocationOutcome.shared ? entry : null;
      const row = {
        outcome: entry.outcome,
        latitude: shared?.latitude ?? null,
        longitude: shared?.longitude ?? null,
        accuracy: shared?.accuracy ?? null,
        captured_at: shared?.capturedAt ?? null,
        recorded_at: recordedAt,
      };
      await db
        .insertInto('journey_locations')
        .values({ session_id: sessionId, ...row })
        .onConflict((oc) => oc.column('session_id').doUpdateSet(row))
        .execute();
      return entry;
    },
    async findLocation(sessionId) {
      const row = await db.selectFrom('journey_locations').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
      return row ? toLocation(row) : null;
    },
  };
}

/** The wire shape the specialist console receives. */
export function customerLocationView(entry: LocationEntry): CustomerLocation {
  const recordedAt = new Date(entry.recordedAt).toISOString();
  return entry.outcome === LocationOutcome.shared
    ? {
        outcome: entry.outcome,
        latitude: entry.latitude,
        longitude: entry.longitude,
        accuracy: entry.accuracy,
        capturedAt: new Date(entry.capturedAt).toISOString(),
        recordedAt,
      }
    : { outcome: entry.outcome, recordedAt };
}
