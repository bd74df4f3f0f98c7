import type { Capability } from '../capability.js';
import { auditPhotoDownload } from '../privacy/audit.js';
import { uploadRoutes } from './routes.js';
import { uploadsSchema } from './store.js';

/** Photos, freeze stills and snapshots: upload, signed links, downloads (audited). */
export const uploadsCapability: Capability = {
  name: 'uploads',
  schema: uploadsSchema,
  routes: ({ sessions, uploads, audit }) => uploadRoutes({ sessions, uploads, onDownload: audit ? auditPhotoDownload(audit) : undefined }),
};
