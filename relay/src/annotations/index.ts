export { AnnotationsFeature, annotationsFeature, type AnnotationsFeatureOptions, type ImageLookup } from './feature.js';
export { emptyAnnotationState, memoryAnnotationStore, annotationsSchema, annotationStore, type AnnotationStore } from './store.js';
export { uploadImages } from './images.js';
