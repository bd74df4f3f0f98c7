export { UploadService, uploadBlobKey, type UploadServiceDeps } from './service.js';
export { uploadRoutes } from './routes.js';
export { uploadsSchema, uploadRepository, type UploadRecord, type UploadRepository } from './store.js';
export { sniffImage, ImageKind } from './sniff.js';
export type { UploadVariant } from './signing.js';
