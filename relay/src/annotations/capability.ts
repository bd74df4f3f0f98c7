import type { Capability } from '../capability.js';
import { auditedAnnotations } from '../privacy/audit.js';
import { annotationsFeature } from './feature.js';
import { uploadImages } from './images.js';
import { annotationsSchema } from './store.js';

/** Marks, freeze and snapshots; a freeze or snapshot is in the audit log where there is one. */
export const annotationsCapability: Capability = {
  name: 'annotations',
  schema: annotationsSchema,
  roomFeature: ({ storage, uploads, audit }) => {
    const feature = annotationsFeature({ store: storage.annotations, images: uploadImages(uploads) });
    return audit ? auditedAnnotations(feature, audit) : feature;
  },
};
