import { useEffect, useRef, useState } from 'react';
import styled, { keyframes } from 'styled-components';
import { PALETTE } from '@zendeskgarden/react-theming';
import { Progress } from '@zendeskgarden/react-loaders';
import { SM } from '@zendeskgarden/react-typography';
import { AnnotationOverlay, Fit, clientToFrame, type FrameSize } from '@live-assist/client-core';
import { AnnotationTool, FreezeStatus, type Point } from '@live-assist/protocol';
import { useStore } from '../../store/useStore';
import { useI18n } from '../../i18n/i18n';
import type { ConsoleAnnotations } from './consoleAnnotations';
import { useModelRevision } from './useAnnotations';
import { PinAgain } from '../anchoring/PinAgain';

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

const ring = keyframes`
  from {
    transform: translate(-50%, -50%) scale(1.6);
    opacity: 0;
  }
  25% {
    transform: translate(-50%, -50%) scale(1);
    opacity: 1;
  }
  to {
    transform: translate(-50%, -50%) scale(1);
    opacity: 0;
  }
`;

/** Where a pick landed (the camera focuses there): a square like a camera's focus frame. */
const PickRing = styled.span`
  position: absolute;
  transform: translate(-50%, -50%);
  border: 2px solid ${PALETTE.lemon[300]};
  border-radius: ${(p) => p.theme.borderRadii.md};
  box-shadow: 0 0 0 1px rgb(0 0 0 / 45%);
  width: 56px;
  height: 56px;
  animation: ${ring} 900ms ease-out forwards;
  pointer-events: none;

  @media (prefers-reduced-motion: reduce) {
    animation-timing-function: steps(1, end);
  }
`;

/** While a pick is armed: what the next click does, over the top of the picture. */
const PickHint = styled(Status)`
  width: max-content;
  max-width: min(480px, 80%);
`;

/** Takes the next click on the picture instead of drawing (the camera's "Focus here"). */
export type SurfacePick = { onPick(point: Point): void; hint: string };

type Props = {
  annotations: ConsoleAnnotations;
  /** An observer's console: the marks are shown, the picture takes no input. */
  readOnly?: boolean;
  /** Armed: the next click on the picture goes here, not to the drawing tools. */
  pick?: SurfacePick | null;
};

/** Marks over the customer's video (letterboxed, object-fit contain) or over the frozen still. */
export function AnnotationSurface({ annotations, readOnly = false, pick = null }: Props) {
  const { t } = useI18n();
  const layerRef = useRef<HTMLDivElement>(null);
  const marksRef = useRef<HTMLDivElement>(null);
  const held = useRef(false);
  useModelRevision(annotations.model);
  const { tool } = useStore(annotations.tools);
  const freeze = annotations.model.freeze;
  const still = freeze?.status === FreezeStatus.ready ? freeze.still : null;
  const [videoSize, setVideoSize] = useState<FrameSize | null>(null);
  const [picked, setPicked] = useState<{ id: number; left: number; top: number } | null>(null);
  const picking = pick !== null && !readOnly;

  useEffect(() => {
    // The laser dot would otherwise stay where it was while the pointer aims the pick.
    if (picking) annotations.pointerLeave();
  }, [picking, annotations]);

  useEffect(() => {
    // The remote <video> is this layer's sibling; its intrinsic size is the customer's frame shape.
    const video = layerRef.current?.parentElement?.querySelector<HTMLVideoElement>('video[data-testid="remote-video"]');
    if (!video) return;
    const sync = () => setVideoSize(video.videoWidth > 0 ? { width: video.videoWidth, height: video.videoHeight } : null);
    sync();
    video.addEventListener('resize', sync);
    video.addEventListener('loadedmetadata', sync);
    // Anchored marks are tracked on the frames of this video.
    annotations.setVideo(video);
    return () => {
      video.removeEventListener('resize', sync);
      video.removeEventListener('loadedmetadata', sync);
      annotations.setVideo(null);
    };
  }, [annotations]);

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
          $cursor={!picking && tool === AnnotationTool.pointer ? 'none' : 'crosshair'}
          role="application"
          aria-label={t('annotations.drawingArea')}
          data-testid="annotation-input"
          onPointerDown={(e) => {
            const hit = toFrame(e);
            if (!hit?.inside || e.button !== 0) return;
            if (pick) {
              e.preventDefault();
              const box = e.currentTarget.getBoundingClientRect();
              setPicked((last) => ({ id: (last?.id ?? 0) + 1, left: e.clientX - box.left, top: e.clientY - box.top }));
              pick.onPick(hit.point);
              return;
            }
            e.currentTarget.setPointerCapture(e.pointerId);
            held.current = true;
            annotations.pointerDown(hit.point);
          }}
          onPointerMove={(e) => {
            const hit = toFrame(e);
            if (!hit || picking) return;
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
      {picked ? (
        <PickRing
          key={picked.id}
          style={{ left: picked.left, top: picked.top }}
          onAnimationEnd={() => setPicked(null)}
          data-testid="pick-ring"
        />
      ) : null}
      {pick && !readOnly && !freeze ? (
        <PickHint role="status" data-testid="pick-hint">
          <SM tag="p">{pick.hint}</SM>
        </PickHint>
      ) : null}
      {!readOnly && !freeze && frame && annotations.anchors ? (
        <PinAgain anchors={annotations.anchors} model={annotations.model} frame={frame} layer={layerRef} />
      ) : null}
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
