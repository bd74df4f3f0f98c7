import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { ThemeProvider } from '@zendeskgarden/react-theming';
import { AnnotationModel, Emitter, type RelaySocketEvents } from '@live-assist/client-core';
import type { CameraStateFrame } from '@live-assist/protocol';
import { I18nProvider, type AppLocale } from '../../i18n/i18n';
import { CameraControls } from './CameraControls';
import { ConsoleCamera } from './consoleCamera';

function cameraWith(frame: CameraStateFrame | null, canControl = true): ConsoleCamera {
  const emitter = new Emitter<RelaySocketEvents>();
  const camera = new ConsoleCamera({ socket: { send: () => true, on: (e, h) => emitter.on(e, h) }, canControl });
  if (frame) emitter.emit('frame', frame);
  return camera;
}

function render(camera: ConsoleCamera, { locale = 'en', frozen = false }: { locale?: AppLocale; frozen?: boolean } = {}) {
  const model = new AnnotationModel();
  if (frozen) model.setFreeze({ id: 'freeze-1', status: 'capturing', progress: 0, still: null });
  return renderToString(
    <ThemeProvider>
      <I18nProvider locale={locale}>
        <CameraControls camera={camera} model={model} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

const REAR: CameraStateFrame = {
  type: 'camera-state',
  capabilities: { torch: true, zoom: { min: 1, max: 8, step: 0.1 }, focus: true, switchCamera: true },
  settings: { torch: true, zoom: 2, facing: 'environment' },
};
const ALL_IDS = [
  'camera-torch',
  'camera-zoom-out',
  'camera-zoom-slider',
  'camera-zoom-in',
  'camera-zoom-level',
  'camera-switch',
  'camera-focus',
];

describe('camera controls in the console', () => {
  it("show a button for each thing the phone's camera can do, with the zoom level", () => {
    const html = render(cameraWith(REAR));
    expect(html).toContain('data-testid="camera-controls"');
    for (const id of ALL_IDS) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('2.0×');
    expect(html).toMatch(/aria-label="Light"[^>]*aria-pressed="true"|aria-pressed="true"[^>]*aria-label="Light"/);
    expect(render(cameraWith(REAR), { locale: 'de' })).toContain('2,0×');
  });

  it('show only what a camera without light, zoom or focus points offers', () => {
    const html = render(
      cameraWith({
        type: 'camera-state',
        capabilities: { torch: false, zoom: null, focus: false, switchCamera: true },
        settings: { torch: false, zoom: null, facing: 'user' },
      }),
    );
    expect(html).toContain('data-testid="camera-switch"');
    for (const id of ALL_IDS.filter((i) => i !== 'camera-switch')) expect(html).not.toContain(`data-testid="${id}"`);
  });

  it('hide Focus here while the picture is frozen', () => {
    const html = render(cameraWith(REAR), { frozen: true });
    expect(html).toContain('data-testid="camera-torch"');
    expect(html).not.toContain('data-testid="camera-focus"');
  });

  it("are not there while the phone's camera is off, nor for an observer", () => {
    expect(render(cameraWith(null))).toBe('');
    expect(render(cameraWith({ type: 'camera-state', capabilities: null, settings: null }))).toBe('');
    expect(render(cameraWith(REAR, false))).toBe('');
  });
});
