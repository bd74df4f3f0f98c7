import { useEffect, useMemo } from 'react';
import { Button, IconButton, ToggleIconButton } from '@zendeskgarden/react-buttons';
import { Dots } from '@zendeskgarden/react-loaders';
import { Tooltip } from '@zendeskgarden/react-tooltips';
import type { AnnotationModel } from '@live-assist/client-core';
import { CameraFacing } from '@live-assist/protocol';
import { AlertIcon } from '../../components/icons';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useStore } from '../../store/useStore';
import { CameraProblem, shownSettings, type ConsoleCamera } from './consoleCamera';
import { useFrozen } from '../annotations/useAnnotations';
import { Bar, Divider, Group, Level, Problem, StatusArea, Title, Waiting, ZoomSlider } from './CameraControls.styles';
import { FocusIcon, SwitchCameraIcon, TorchIcon, ZoomInIcon, ZoomOutIcon } from './icons';

const PROBLEM_TEXT: Record<CameraProblem, MessageKey> = {
  [CameraProblem.unsupported]: 'camera.refused',
  [CameraProblem.failed]: 'camera.refused',
  [CameraProblem.cameraOff]: 'camera.cameraOff',
  [CameraProblem.noPhone]: 'camera.noPhone',
  [CameraProblem.notSent]: 'camera.notSent',
};

type Props = {
  camera: ConsoleCamera;
  /** The annotation model says whether the picture is frozen. */
  model: AnnotationModel | null;
};

/**
 * The customer's camera, from the console: light, zoom, the other camera, focus on a point. Only
 * what the phone reports it can do is shown; nothing at all while its camera is off or for an
 * observer, who may not drive it.
 */
export function CameraControls({ camera, model }: Props) {
  const { t, locale } = useI18n();
  // A focus point on a frozen still would mean nothing to the live camera.
  const frozen = useFrozen(model);
  const view = useStore(camera.state);
  const shown = shownSettings(view);
  const caps = view.capabilities;
  const armed = view.focusArmed;
  const levelFormat = useMemo(() => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }), [locale]);

  useEffect(() => {
    if (frozen) camera.disarmFocus();
  }, [frozen, camera]);

  useEffect(() => {
    if (!armed) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      camera.disarmFocus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [armed, camera]);

  if (!camera.canControl || !caps) return null;
  const zoom = caps.zoom && shown.zoom !== null ? { range: caps.zoom, level: shown.zoom } : null;
  const focus = caps.focus && !frozen;
  if (!caps.torch && !zoom && !caps.switchCamera && !focus) return null;

  const level = zoom ? t('camera.zoomLevel', { level: levelFormat.format(zoom.level) }) : '';
  const groups = [
    caps.torch ? (
      <Tooltip key="torch" content={t(shown.torch ? 'camera.torchTurnOff' : 'camera.torchTurnOn')} placement="top">
        <ToggleIconButton
          size="small"
          aria-label={t('camera.torch')}
          isPressed={shown.torch}
          data-testid="camera-torch"
          onClick={() => camera.setTorch(!shown.torch)}
        >
          <TorchIcon />
        </ToggleIconButton>
      </Tooltip>
    ) : null,
    zoom ? (
      <Group key="zoom" role="group" aria-label={t('camera.zoom')}>
        <Tooltip content={t('camera.zoomOut')} placement="top">
          <IconButton
            size="small"
            aria-label={t('camera.zoomOut')}
            disabled={zoom.level <= zoom.range.min}
            data-testid="camera-zoom-out"
            onClick={() => camera.zoomBy(-1)}
          >
            <ZoomOutIcon />
          </IconButton>
        </Tooltip>
        <ZoomSlider
          min={zoom.range.min}
          max={zoom.range.max}
          step={zoom.range.step > 0 ? zoom.range.step : 'any'}
          value={zoom.level}
          aria-label={t('camera.zoom')}
          aria-valuetext={level}
          data-testid="camera-zoom-slider"
          onChange={(e) => camera.setZoom(Number(e.target.value))}
        />
        <Tooltip content={t('camera.zoomIn')} placement="top">
          <IconButton
            size="small"
            aria-label={t('camera.zoomIn')}
            disabled={zoom.level >= zoom.range.max}
            data-testid="camera-zoom-in"
            onClick={() => camera.zoomBy(1)}
          >
            <ZoomInIcon />
          </IconButton>
        </Tooltip>
        <Level aria-hidden="true" data-testid="camera-zoom-level">
          {level}
        </Level>
      </Group>
    ) : null,
    caps.switchCamera || focus ? (
      <Group key="aim">
        {caps.switchCamera ? (
          <Tooltip content={t(shown.facing === CameraFacing.environment ? 'camera.switchToFront' : 'camera.switchToRear')} placement="top">
            <IconButton size="small" aria-label={t('camera.switch')} data-testid="camera-switch" onClick={() => camera.switchCamera()}>
              <SwitchCameraIcon />
            </IconButton>
          </Tooltip>
        ) : null}
        {focus ? (
          <Tooltip content={t('camera.focusTip')} placement="top">
            <Button
              size="small"
              aria-pressed={armed}
              // Garden's pressed tint is faint on white: armed must read at a glance, the next click is not a mark.
              isPrimary={armed}
              data-testid="camera-focus"
              onClick={() => (armed ? camera.disarmFocus() : camera.armFocus())}
            >
              <Button.StartIcon>
                <FocusIcon />
              </Button.StartIcon>
              {t('camera.focus')}
            </Button>
          </Tooltip>
        ) : null}
      </Group>
    ) : null,
  ].filter((g) => g !== null);

  return (
    <Bar role="toolbar" aria-label={t('camera.controls')} data-testid="camera-controls">
      <Title aria-hidden="true">{t('camera.title')}</Title>
      {groups.flatMap((g, i) => (i === 0 ? [g] : [<Divider key={`divider-${i}`} aria-hidden="true" />, g]))}
      <StatusArea>
        {/* Always there, so a refusal is read out when it appears; "waiting" is not, it comes and goes while the slider moves. */}
        <Problem role="status" data-testid="camera-problem">
          {view.problem ? (
            <>
              <AlertIcon />
              {t(PROBLEM_TEXT[view.problem])}
            </>
          ) : null}
        </Problem>
        {!view.problem && view.pending ? (
          <Waiting data-testid="camera-waiting">
            <Dots size="14" aria-hidden="true" />
            {t('camera.waiting')}
          </Waiting>
        ) : null}
      </StatusArea>
    </Bar>
  );
}
