export { ConsoleNameplate } from './consoleNameplate';
export { NameplatePanel } from './NameplatePanel';
export { PlateBoxLayer } from './PlateBoxLayer';
export { useConsoleNameplate, usePlateOpen, useReadTextTool } from './useNameplate';
