import { useEffect, useRef, useState } from 'react';
import styled from 'styled-components';
import { PALETTE } from '@zendeskgarden/react-theming';
import { Progress } from '@zendeskgarden/react-loaders';
import { SM } from '@zendeskgarden/react-typography';
import { AnnotationOverlay, Fit, clientToFrame, type FrameSize } from '@live-assist/client-core';
import { AnnotationTool, FreezeStatus } from '@live-assist/protocol';
import { useStore } from '../../store/useStore';
import { useI18n } from '../../i18n/i18n';
import type { ConsoleAnnotations } from './consoleAnnotations';
import { useModelRevision } from './useAnnotations';

const Layer = styled.div`
  position: absolute;
  inset: 0;
`;

const Still = styled.img`
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  object-fit: contain;
  background: ${PALETTE.grey[1200]};
`;

const Marks = styled.div`
  position: absolute;
  inset: 0;
  pointer-events: none;
`;

/** Catches pointer input over the whole picture; the SVG below never does. */
const Input = styled.div<{ $cursor: string }>`
  position: absolute;
  inset: 0;
  cursor: ${(p) => p.$cursor};
  touch-action: none;
`;

const Status = styled.div`
  position: absolute;
  top: ${(p) => p.theme.space.md};
  left: 50%;
  transform: translateX(-50%);
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: rgb(0 0 0 / 70%);
  padding: ${(p) => `${p.theme.space.xs} ${p.theme.space.sm}`};
  width: min(360px, 80%);
  text-align: center;
  color: ${PALETTE.white};
  pointer-events: none;
`;

const FrozenTag = styled(SM)`
  position: absolute;
  top: ${(p) => p.theme.space.md};
  left: ${(p) => p.theme.space.md};
  border-radius: ${(p) => p.theme.borderRadii.sm};
  /* blue 700: white 12 px text on blue 600 is 3.3:1, under the 4.5:1 small text needs. */
  background: ${PALETTE.blue[700]};
  padding: 2px ${(p) => p.theme.space.xs};
  color: ${PALETTE.white};
  font-weight: 600;
  pointer-events: none;
`;

type Props = {
  annotations: ConsoleAnnotations;
  /** An observer's console: the marks are shown, the picture takes no input. */
  readOnly?: boolean;
};

/** Marks over the customer's video (letterboxed, object-fit contain) or over the frozen still. */
export function AnnotationSurface({ annotations, readOnly = false }: Props) {
  const { t } = useI18n();
  const layerRef = useRef<HTMLDivElement>(null);
  const marksRef = useRef<HTMLDivElement>(null);
  const held = useRef(false);
  useModelRevision(annotations.model);
  const { tool } = useStore(annotations.tools);
  const freeze = annotations.model.freeze;
  const still = freeze?.status === FreezeStatus.ready ? freeze.still : null;
  const [videoSize, setVideoSize] = useState<FrameSize | null>(null);

  useEffect(() => {
    // The remote <video> is this layer's sibling; its intrinsic size is the customer's frame shape.
    const video = layerRef.current?.parentElement?.querySelector<HTMLVideoElement>('video[data-testid="remote-video"]');
    if (!video) return;
    const sync = () => setVideoSize(video.videoWidth > 0 ? { width: video.videoWidth, height: video.videoHeight } : null);
    sync();
    video.addEventListener('resize', sync);
    video.addEventListener('loadedmetadata', sync);
    return () => {
      video.removeEventListener('resize', sync);
      video.removeEventListener('loadedmetadata', sync);
    };
  }, []);

  const frame = still ? { width: still.width, height: still.height } : freeze ? null : videoSize;
  const frameRef = useRef(frame);
  frameRef.current = frame;

  const overlayRef = useRef<AnnotationOverlay | null>(null);
  useEffect(() => {
    const host = marksRef.current;
    if (!host) return;
    const overlay = new AnnotationOverlay(host, annotations.model, { fit: Fit.contain });
    overlayRef.current = overlay;
    return () => {
      overlay.dispose();
      overlayRef.current = null;
    };
  }, [annotations]);

  useEffect(() => {
    overlayRef.current?.setFrame(frame);
  }, [frame?.width, frame?.height]); // eslint-disable-line react-hooks/exhaustive-deps

  const toFrame = (e: React.PointerEvent) => {
    const f = frameRef.current;
    const layer = layerRef.current;
    if (!f || !layer) return null;
    return clientToFrame(e.clientX, e.clientY, layer.getBoundingClientRect(), f, Fit.contain);
  };

  const percent = Math.round((freeze?.progress ?? 0) * 100);
  return (
    <Layer ref={layerRef}>
      {still ? <Still src={still.url} alt={t('annotations.stillAlt')} data-testid="console-still" /> : null}
      <Marks ref={marksRef} />
      {readOnly ? null : (
        <Input
          $cursor={tool === AnnotationTool.pointer ? 'none' : 'crosshair'}
          role="application"
          aria-label={t('annotations.drawingArea')}
          data-testid="annotation-input"
          onPointerDown={(e) => {
            const hit = toFrame(e);
            if (!hit?.inside || e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            held.current = true;
            annotations.pointerDown(hit.point);
          }}
          onPointerMove={(e) => {
            const hit = toFrame(e);
            if (!hit) return;
            if (tool === AnnotationTool.pointer && !hit.inside) annotations.pointerLeave();
            else annotations.pointerMove(hit.point, held.current);
          }}
          onPointerUp={() => {
            held.current = false;
            annotations.pointerUp();
          }}
          onPointerCancel={() => {
            held.current = false;
            annotations.pointerUp();
          }}
          onPointerLeave={() => annotations.pointerLeave()}
        />
      )}
      {freeze ? <FrozenTag tag="span">{t('annotations.frozen')}</FrozenTag> : null}
      {freeze?.status === FreezeStatus.capturing ? (
        <Status role="status">
          <SM tag="p">{t('annotations.capturing', { percent })}</SM>
          <Progress value={percent} size="small" aria-label={t('annotations.capturing', { percent })} />
        </Status>
      ) : null}
      {freeze?.status === FreezeStatus.failed ? (
        <Status role="alert">
          <SM tag="p">{t('annotations.freezeFailed')}</SM>
        </Status>
      ) : null}
    </Layer>
  );
}
