import { describe, expect, it } from 'vitest';
import { steps } from './steps.js';

describe('a tour cut into screens', () => {
  it('returns what a screen’s work returns when it finishes within its budget', async () => {
    const s = steps('tour en');
    await expect(s.screen('consent', 1_000, async () => 'page')).resolves.toBe('page');
  });

  it('names the screen and the last state seen when a screen overruns its budget', async () => {
    const s = steps('tour en');
    const stuck = s.screen('chat', 50, async () => {
      s.at('the photo in the console');
      await new Promise(() => undefined);
    });
    await expect(stuck).rejects.toThrow(
      'tour en: screen "chat" not reached within its budget of 0.05 s; last state: the photo in the console',
    );
  });

  it('keeps the work’s own error and adds the screen and the last state seen', async () => {
    const s = steps('console tour bg');
    const failing = s.screen('console-frozen', 1_000, async () => {
      s.at('the still in the console after Freeze');
      throw new Error('locator.click: Timeout 30000ms exceeded');
    });
    await expect(failing).rejects.toThrow(
      /console tour bg: screen "console-frozen" failed after \d+\.\d s; last state: the still in the console after Freeze\nlocator\.click: Timeout 30000ms exceeded/,
    );
  });
});
