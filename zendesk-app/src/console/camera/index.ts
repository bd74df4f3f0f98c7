export { CameraControls } from './CameraControls';
export { ConsoleCamera } from './consoleCamera';
export { useConsoleCamera, useFocusPick } from './useConsoleCamera';
