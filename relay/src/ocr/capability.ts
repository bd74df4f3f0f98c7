import type { Capability } from '../capability.js';
import { ocrRoutes } from './routes.js';

/** The console reads nameplates locally: the relay serves the OCR and barcode engines' files. */
export const ocrCapability: Capability = {
  name: 'ocr',
  routes: () => ocrRoutes(),
};
