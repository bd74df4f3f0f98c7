import type Database from 'better-sqlite3';
import { LocationOutcome, type CustomerLocation, type LocationReport } from '@live-assist/protocol';

type Db = Database.Database;

/**
 * The customer's journey records: consent (one row per consent given; a reload or a new device
 * consents again) and the answer to the location step (latest answer wins). Nothing here is written
 * before the customer consented: both are recorded only for a joined participant.
 */
export function migrateJourney(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS journey_consents (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      policy_version TEXT NOT NULL,
      locale TEXT NOT NULL,
      user_agent TEXT,
      consented_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS journey_consents_by_session ON journey_consents (session_id, consented_at);
    CREATE TABLE IF NOT EXISTS journey_locations (
      session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
      outcome TEXT NOT NULL CHECK (outcome IN ('shared', 'declined', 'denied', 'timeout', 'unavailable')),
      latitude REAL,
      longitude REAL,
      accuracy REAL,
      captured_at INTEGER,
      recorded_at INTEGER NOT NULL
    );
  `);
  // Added after the first release: consents from before keep NULL (their text was not recorded).
  const columns = db.prepare('PRAGMA table_info(journey_consents)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'consent_text')) db.exec('ALTER TABLE journey_consents ADD COLUMN consent_text TEXT DEFAULT NULL');
}

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
  session_id: string;
  policy_version: string;
  locale: string;
  consent_text: string | null;
  user_agent: string | null;
  consented_at: number;
}

interface LocationRow {
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

export function sqliteJourneyRepository(db: Db): JourneyRepository {
  const q = {
    insertConsent: db.prepare(`INSERT INTO journey_consents
      (session_id, policy_version, locale, consent_text, user_agent, consented_at) VALUES (?, ?, ?, ?, ?, ?)`),
    consents: db.prepare('SELECT * FROM journey_consents WHERE session_id = ? ORDER BY consented_at, id'),
    upsertLocation: db.prepare(`INSERT INTO journey_locations
      (session_id, outcome, latitude, longitude, accuracy, captured_at, recorded_at)
      VALUES (@sessionId, @outcome, @latitude, @longitude, @accuracy, @capturedAt, @recordedAt)
      ON CONFLICT (session_id) DO UPDATE SET outcome = excluded.outcome, latitude = excluded.latitude,
        longitude = excluded.longitude, accuracy = excluded.accuracy, captured_at = excluded.captured_at,
        recorded_at = excluded.recorded_at`),
    location: db.prepare('SELECT * FROM journey_locations WHERE session_id = ?'),
  };
  return {
    async recordConsent(c) {
      q.insertConsent.run(c.sessionId, c.policyVersion, c.locale, c.consentText, c.userAgent?.slice(0, 512) ?? null, c.consentedAt);
    },
    async consents(sessionId) {
      return (q.consents.all(sessionId) as ConsentRow[]).map((r) => ({
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
      q.upsertLocation.run({
        sessionId,
        outcome: entry.outcome,
        latitude: shared?.latitude ?? null,
        longitude: shared?.longitude ?? null,
        accuracy: shared?.accuracy ?? null,
        capturedAt: shared?.capturedAt ?? null,
        recordedAt,
      });
      return entry;
    },
    async findLocation(sessionId) {
      const row = q.location.get(sessionId) as LocationRow | undefined;
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
