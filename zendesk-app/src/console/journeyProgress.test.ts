import { describe, expect, it } from 'vitest';
import { journeyProgress } from './journeyProgress';

const states = (steps: ReturnType<typeof journeyProgress>) => Object.fromEntries(steps.map((s) => [s.id, s.state]));

describe('journeyProgress', () => {
  it('shows a fresh session as all pending', () => {
    expect(states(journeyProgress({ stage: 'waiting', connected: false, location: null }))).toEqual({
      opened: 'pending',
      consented: 'pending',
      location: 'pending',
      camera: 'pending',
      'in-call': 'pending',
    });
  });

  it('shows a shared location and a camera denial', () => {
    const steps = journeyProgress({
      stage: 'permissions',
      stageDetail: 'media-error:denied',
      connected: true,
      location: { outcome: 'shared', latitude: 1, longitude: 2, accuracy: 3, capturedAt: 'x', recordedAt: 'y' },
    });
    expect(states(steps)).toMatchObject({ consented: 'done', location: 'done', camera: 'failed', 'in-call': 'pending' });
    expect(steps.find((s) => s.id === 'camera')?.label).toBe('progress.camera.denied');
  });

  it('shows a declined location as skipped and the call once the customer is in it', () => {
    const steps = journeyProgress({
      stage: 'in-call',
      connected: true,
      location: { outcome: 'declined', recordedAt: 'y' },
    });
    expect(states(steps)).toMatchObject({ location: 'skipped', camera: 'done', 'in-call': 'done' });
    expect(steps.find((s) => s.id === 'location')?.label).toBe('progress.location.declined');
  });
});
