import { annotationsCapability } from './annotations/capability.js';
import { blobsSchema } from './blobs/database.js';
import { cameraCapability } from './camera/capability.js';
import type { Capability } from './capability.js';
import { chatCapability } from './chat/capability.js';
import type { SchemaOwner } from './db/migrate.js';
import { deliveryCapability } from './delivery/capability.js';
import { journeyCapability } from './journey/capability.js';
import { mediaCapability } from './media/capability.js';
import { nameplateCapability } from './nameplate/capability.js';
import { ocrCapability } from './ocr/capability.js';
import { privacyCapability } from './privacy/capability.js';
import { qualityCapability } from './quality/capability.js';
import { sessionsCapability } from './sessions/capability.js';
import { uploadsCapability } from './uploads/capability.js';
import { writebackCapability } from './writeback/capability.js';

/** The relay, capability by capability: routes mount and room features join in this order. */
export const CAPABILITIES: readonly Capability[] = [
  sessionsCapability,
  journeyCapability,
  chatCapability,
  annotationsCapability,
  cameraCapability,
  qualityCapability,
  nameplateCapability,
  uploadsCapability,
  mediaCapability,
  writebackCapability,
  deliveryCapability,
  privacyCapability,
  ocrCapability,
];

/** Every table: the stored files (infrastructure) and each capability's; `migrate` orders them by what they reference. */
export const SCHEMAS: readonly SchemaOwner[] = [blobsSchema, ...CAPABILITIES.flatMap((c) => (c.schema ? [c.schema] : []))];
