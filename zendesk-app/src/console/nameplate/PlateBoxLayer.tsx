import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import styled, { css, keyframes } from 'styled-components';
import { PALETTE } from '@zendeskgarden/react-theming';
import { SM } from '@zendeskgarden/react-typography';
import { Fit, clientToFrame, frameToClient, type FrameSize } from '@live-assist/client-core';
import { useI18n } from '../../i18n/i18n';
import { isTypingTarget } from '../annotations/shortcuts';
import { useStore } from '../../store/useStore';
import { PlatePhase, type ConsoleNameplate } from './consoleNameplate';
import type { PlateBox } from './contract';

/** Over the still, above the marks: while it takes input the drawing tools get none. */
const Layer = styled.div<{ $input: boolean }>`
  position: absolute;
  inset: 0;
  cursor: ${(p) => (p.$input ? 'crosshair' : 'default')};
  overflow: hidden;
  touch-action: none;
  pointer-events: ${(p) => (p.$input ? 'auto' : 'none')};
`;

const scan = keyframes`
  from { top: 0; }
  to { top: calc(100% - 2px); }
`;

/** The box, with everything around it dimmed as a scanner app does, and corner marks. */
const Frame = styled.div<{ $reading: boolean }>`
  position: absolute;
  box-sizing: border-box;
  border: 1px solid rgb(255 255 255 / 85%);
  box-shadow: 0 0 0 100vmax rgb(0 0 0 / 50%);
  pointer-events: none;

  /* The corner marks: four L shapes drawn by two gradients each side. */
  &::before {
    position: absolute;
    inset: -3px;
    background:
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) top left / 18px 3px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) top left / 3px 18px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) top right / 18px 3px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) top right / 3px 18px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) bottom left / 18px 3px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) bottom left / 3px 18px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) bottom right / 18px 3px,
      linear-gradient(${PALETTE.lemon[300]}, ${PALETTE.lemon[300]}) bottom right / 3px 18px;
    background-repeat: no-repeat;
    content: '';
  }

  /* While the engine reads: a line sweeps the box. */
  &::after {
    display: ${(p) => (p.$reading ? 'block' : 'none')};
    position: absolute;
    right: 0;
    left: 0;
    box-shadow: 0 0 8px 2px ${PALETTE.lemon[300]};
    background: ${PALETTE.lemon[300]};
    height: 2px;
    content: '';
    ${(p) =>
      p.$reading
        ? css`
            animation: ${scan} 1.1s ease-in-out infinite alternate;
          `
        : ''}

    @media (prefers-reduced-motion: reduce) {
      animation: none;
      top: 50%;
    }
  }
`;

const Hint = styled.div`
  position: absolute;
  top: ${(p) => p.theme.space.md};
  left: 50%;
  transform: translateX(-50%);
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: rgb(0 0 0 / 75%);
  padding: ${(p) => `${p.theme.space.xs} ${p.theme.space.sm}`};
  width: max-content;
  max-width: min(480px, 80%);
  text-align: center;
  color: ${PALETTE.white};
  pointer-events: none;
`;

type Rect = { left: number; top: number; width: number; height: number };

/** The still's pixels of a box → where it shows inside the layer. */
function boxOnScreen(box: PlateBox, frame: FrameSize, layer: Rect): Rect {
  const a = frameToClient([box.x / frame.width, box.y / frame.height], layer, frame, Fit.contain);
  const b = frameToClient([(box.x + box.width) / frame.width, (box.y + box.height) / frame.height], layer, frame, Fit.contain);
  return { left: a.x, top: a.y, width: b.x - a.x, height: b.y - a.y };
}

/**
 * Read text's box over the frozen still (object-fit contain, as AnnotationSurface shows it): a drag
 * draws it, mapped to the still's pixels the way marks are; it stays while the panel reads it.
 */
export function PlateBoxLayer({ nameplate }: { nameplate: ConsoleNameplate }) {
  const { t } = useI18n();
  const s = useStore(nameplate.state);
  const layerRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [drag, setDrag] = useState<{ from: [number, number]; to: [number, number] } | null>(null);
  const frame = nameplate.frame;
  const input = s.phase === PlatePhase.selecting || s.phase === PlatePhase.boxed;

  useLayoutEffect(() => {
    const el = layerRef.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!input) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') nameplate.cancel();
      // Without a mouse: the whole picture is the box (the crop is then the still itself).
      else if (e.key === 'Enter' && !isTypingTarget(e.target) && frame && nameplate.state.get().phase === PlatePhase.selecting) {
        e.preventDefault();
        nameplate.setBox({ x: 0, y: 0, width: frame.width, height: frame.height });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [input, nameplate, frame?.width, frame?.height]); // eslint-disable-line react-hooks/exhaustive-deps

  if (s.phase === PlatePhase.off || s.phase === PlatePhase.saved || !frame) return <Layer ref={layerRef} $input={false} />;

  const local = (e: React.PointerEvent): [number, number] | null => {
    const rect = e.currentTarget.getBoundingClientRect();
    const hit = clientToFrame(e.clientX, e.clientY, rect, frame, Fit.contain);
    return drag || hit.inside ? [hit.point[0] * frame.width, hit.point[1] * frame.height] : null;
  };
  const layer = { left: 0, top: 0, width: size?.width ?? 0, height: size?.height ?? 0 };
  const shown: PlateBox | null = drag
    ? {
        x: Math.min(drag.from[0], drag.to[0]),
        y: Math.min(drag.from[1], drag.to[1]),
        width: Math.abs(drag.to[0] - drag.from[0]),
        height: Math.abs(drag.to[1] - drag.from[1]),
      }
    : s.box;
  const onScreen = shown && size ? boxOnScreen(shown, frame, layer) : null;

  return (
    <Layer
      ref={layerRef}
      $input={input}
      data-testid="plate-box-layer"
      role={input ? 'application' : undefined}
      aria-label={input ? t('nameplate.boxArea') : undefined}
      onPointerDown={(e) => {
        if (!input || e.button !== 0) return;
        const at = local(e);
        if (!at) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        setDrag({ from: at, to: at });
      }}
      onPointerMove={(e) => {
        if (!drag) return;
        const at = local(e);
        if (at) setDrag({ from: drag.from, to: at });
      }}
      onPointerUp={() => {
        if (drag && shown) nameplate.setBox(shown);
        setDrag(null);
      }}
      onPointerCancel={() => setDrag(null)}
    >
      {onScreen ? (
        <Frame
          data-testid="plate-box"
          $reading={s.phase === PlatePhase.reading}
          style={{ left: onScreen.left, top: onScreen.top, width: onScreen.width, height: onScreen.height }}
        />
      ) : null}
      {s.phase === PlatePhase.selecting && !drag ? (
        <Hint role="status" data-testid="plate-box-hint">
          <SM tag="p">{t('nameplate.boxHint')}</SM>
        </Hint>
      ) : null}
    </Layer>
  );
}
