import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) =>
  shortcutOf({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('annotation keyboard shortcuts', () => {
  it('maps the keys shown in the tooltips', () => {
    expect(key('p')).toBe('pointer');
    expect(key('R')).toBe('rectangle');
    expect(key('a')).toBe('arrow');
    expect(key('d')).toBe('freehand');
    expect(key('f')).toBe('freeze');
    expect(key('s')).toBe('snapshot');
    expect(key('T')).toBe('readText');
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('z', { metaKey: true })).toBe('undo');
    expect(key('C', { shiftKey: true })).toBe('clear');
    expect(key('3')).toEqual({ color: 2 });
  });

  it('leaves other keys and browser shortcuts alone', () => {
    expect(key('c')).toBeNull();
    expect(key('7')).toBeNull();
    expect(key('r', { ctrlKey: true })).toBeNull();
    expect(key('p', { altKey: true })).toBeNull();
  });
});
