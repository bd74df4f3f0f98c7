export { NameplateFeature, nameplateFeature, type CropLookup, type NameplateFeatureOptions } from './feature.js';
export {
  nameplateRepository,
  nameplateSchema,
  type NameplateRecord,
  type NameplateRepository,
  type NameplateTables,
  type SaveNameplateResult,
} from './store.js';
export { nameplateFieldMapRepository, type NameplateFieldMap, type NameplateFieldMapRepository } from './field-map.js';
export { NAMEPLATE_FIELD_HEADERS, fieldMapFromHeaders, nameplateMappingOnSignIn } from './sign-in-fields.js';
