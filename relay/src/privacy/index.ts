export { auditedAnnotations, auditPhotoDownload, auditSessionEvents, type AuditDeps } from './audit.js';
export {
  RetentionSweeper,
  sweepRetention,
  deleteSessionFiles,
  retentionIntervalMs,
  DAY_MS,
  type RetentionPolicy,
  type Scheduler,
  type SweepResult,
} from './retention.js';
export { privacySchema, privacyRepository } from './store.js';
export { AuditAction, AuditActorKind, type AuditEntry, type NewAuditEntry, type PrivacyRepository, type SessionRef } from './types.js';
