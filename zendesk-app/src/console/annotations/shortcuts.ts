import { AnnotationTool, MARK_COLORS } from '@live-assist/protocol';

export const Action = {
  pointer: 'pointer',
  rectangle: 'rectangle',
  arrow: 'arrow',
  freehand: 'freehand',
  freeze: 'freeze',
  undo: 'undo',
  clear: 'clear',
  snapshot: 'snapshot',
  readText: 'readText',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

/** Shown in tooltips; single keys so a specialist can switch tools without leaving the mouse. */
export const SHORTCUT_LABEL: Record<Action, string> = {
  pointer: 'P',
  rectangle: 'R',
  arrow: 'A',
  freehand: 'D',
  freeze: 'F',
  undo: 'Ctrl+Z',
  clear: 'Shift+C',
  snapshot: 'S',
  readText: 'T',
};

export const TOOL_OF: Partial<Record<Action, AnnotationTool>> = {
  pointer: AnnotationTool.pointer,
  rectangle: AnnotationTool.rectangle,
  arrow: AnnotationTool.arrow,
  freehand: AnnotationTool.freehand,
};

export type KeyInput = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Which action a key press asks for, or a color index (keys 1–6); null when it is not ours. */
export function shortcutOf(e: KeyInput): Action | { color: number } | null {
  if (e.altKey) return null;
  const key = e.key.toLowerCase();
  if (e.ctrlKey || e.metaKey) return key === 'z' && !e.shiftKey ? Action.undo : null;
  if (e.shiftKey) return key === 'c' ? Action.clear : null;
  const digit = Number(key);
  if (Number.isInteger(digit) && digit >= 1 && digit <= MARK_COLORS.length) return { color: digit - 1 };
  switch (key) {
    case 'p':
      return Action.pointer;
    case 'r':
      return Action.rectangle;
    case 'a':
      return Action.arrow;
    case 'd':
      return Action.freehand;
    case 'f':
      return Action.freeze;
    case 's':
      return Action.snapshot;
    case 't':
      return Action.readText;
    default:
      return null;
  }
}

/** Typing in a field must never switch tools. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
