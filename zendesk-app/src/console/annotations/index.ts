export { AnnotationControls } from './AnnotationControls';
export { AnnotationSurface } from './AnnotationSurface';
export { ConsoleAnnotations } from './consoleAnnotations';
export { useConsoleAnnotations, useFrozen } from './useAnnotations';
