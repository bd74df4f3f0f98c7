export { ConsoleNameplate } from './consoleNameplate';
export { NameplatePanel } from './NameplatePanel';
export { PlateBoxLayer } from './PlateBoxLayer';
export { useConsoleNameplate, useReadTextTool } from './useNameplate';
