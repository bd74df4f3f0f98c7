export { NameplateFeature, nameplateFeature, type CropLookup, type NameplateFeatureOptions } from './feature.js';
export {
  nameplateRepository,
  nameplateSchema,
  type NameplateRecord,
  type NameplateRepository,
  type NameplateTables,
  type SaveNameplateResult,
} from './store.js';
