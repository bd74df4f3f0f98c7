import './annotations.css';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { AnnotationOverlay, Fit, clientToFrame, type FrameSize } from '@live-assist/client-core';
import type { CustomerCall, CustomerCallSnapshot } from '../call/customerCall.js';
import { CustomerAnnotations } from './customerAnnotations.js';

type Props = {
  store: CustomerCall;
  call: CustomerCallSnapshot;
  /** Told whether the specialist has frozen the picture (the call screen's status pill shows it). */
  onFrozenChange?(frozen: boolean): void;
};

/** A tap moves less than this (CSS px) between down and up; more is a scroll or swipe. */
const TAP_SLOP = 12;

/**
 * The annotation layer over the customer's full-screen preview: the specialist's marks and pointer,
 * the frozen still with its banner, and the customer's own tap-to-point.
 */
export function CustomerAnnotationLayer({ store, call, onFrozenChange }: Props) {
  const { t } = useTranslation();
  const hostRef = useRef<HTMLDivElement>(null);
  /** The overlay's own element: React never renders children into it, svg.js owns it. */
  const marksRef = useRef<HTMLDivElement>(null);
  const [annotations, setAnnotations] = useState<CustomerAnnotations | null>(null);

  useEffect(() => {
    const link = store.sessionLink();
    if (!link) return;
    const created = new CustomerAnnotations({
      socket: link.socket,
      participantToken: link.participantToken,
      lane: link.lane,
      relayUrl: window.location.origin,
      video: () => localVideo(hostRef.current),
    });
    setAnnotations(created);
    return () => {
      created.dispose();
      setAnnotations(null);
    };
  }, [store]);

  const still = useSyncExternalStore(
    (cb) => annotations?.on('change', cb) ?? (() => undefined),
    () => annotations?.frozenStill ?? null,
  );
  const freeze = useSyncExternalStore(
    (cb) => annotations?.model.on('change', cb) ?? (() => undefined),
    () => annotations?.model.freeze ?? null,
  );

  // Tells the customer why a mark went pale: the specialist's tracker lost the object under it.
  const anchorLost = useSyncExternalStore(
    (cb) => {
      const offs = annotations ? [annotations.model.on('anchor', cb), annotations.model.on('change', cb)] : [];
      return () => offs.forEach((off) => off());
    },
    () =>
      annotations ? annotations.model.visibleMarks().some((m) => m.anchored && annotations.model.anchor(m.id)?.state === 'lost') : false,
  );

  const overlayRef = useRef<AnnotationOverlay | null>(null);
  const mirroredRef = useRef(call.localMirrored);
  useEffect(() => {
    const host = hostRef.current;
    const marks = marksRef.current;
    if (!host || !marks || !annotations) return;
    const overlay = new AnnotationOverlay(marks, annotations.model, { fit: Fit.cover, mirrored: mirroredRef.current });
    overlayRef.current = overlay;
    const video = localVideo(host);
    const sync = () => overlay.setFrame(still ?? sizeOf(video));
    sync();
    video?.addEventListener('resize', sync);
    video?.addEventListener('loadedmetadata', sync);
    return () => {
      video?.removeEventListener('resize', sync);
      video?.removeEventListener('loadedmetadata', sync);
      overlay.dispose();
      overlayRef.current = null;
    };
  }, [annotations, still]);

  useEffect(() => {
    // Front cameras are previewed mirrored; the marks flip with the picture so they stay on the scene.
    mirroredRef.current = call.localMirrored;
    overlayRef.current?.setView(Fit.cover, call.localMirrored);
  }, [call.localMirrored]);

  const down = useRef<{ x: number; y: number } | null>(null);
  const frozen = freeze !== null;
  useEffect(() => {
    onFrozenChange?.(frozen);
  }, [frozen, onFrozenChange]);
  useEffect(() => () => onFrozenChange?.(false), [onFrozenChange]);

  return (
    <div
      ref={hostRef}
      className="annot"
      data-testid="customer-annotations"
      onPointerDown={(e) => {
        down.current = { x: e.clientX, y: e.clientY };
      }}
      onPointerUp={(e) => {
        const start = down.current;
        down.current = null;
        const host = hostRef.current;
        if (!start || !host || !annotations || Math.hypot(e.clientX - start.x, e.clientY - start.y) > TAP_SLOP) return;
        const frame = still ?? sizeOf(localVideo(host));
        if (!frame) return;
        const { point, inside } = clientToFrame(e.clientX, e.clientY, host.getBoundingClientRect(), frame, Fit.cover, call.localMirrored);
        if (inside) annotations.tap(point);
      }}
    >
      {still ? (
        <img
          className={`annot__still${call.localMirrored ? ' is-mirrored' : ''}`}
          src={still.url}
          alt={t('annotations.frozenAlt')}
          data-testid="frozen-still"
        />
      ) : null}
      <div ref={marksRef} className="annot__marks" />
      {frozen ? (
        <div className="annot__banner" role="status">
          <span className="annot__banner-dot" aria-hidden="true" />
          {t('annotations.frozenBanner')}
        </div>
      ) : anchorLost ? (
        <div className="annot__banner" role="status" data-testid="anchor-lost">
          {t('annotations.anchorLost')}
        </div>
      ) : null}
    </div>
  );
}

function localVideo(host: HTMLElement | null): HTMLVideoElement | null {
  return host?.parentElement?.querySelector<HTMLVideoElement>('video.call__local') ?? null;
}

function sizeOf(video: HTMLVideoElement | null): FrameSize | null {
  return video && video.videoWidth > 0 ? { width: video.videoWidth, height: video.videoHeight } : null;
}
