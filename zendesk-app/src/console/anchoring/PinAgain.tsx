import type { RefObject } from 'react';
import styled from 'styled-components';
import { PALETTE } from '@zendeskgarden/react-theming';
import { Button } from '@zendeskgarden/react-buttons';
import { SM } from '@zendeskgarden/react-typography';
import { Fit, frameToClient, type AnnotationModel, type FrameSize } from '@live-assist/client-core';
import { applyAnchor } from '@live-assist/protocol';
import { useStore } from '../../store/useStore';
import { useI18n } from '../../i18n/i18n';
import type { LazyMarkAnchors } from './lazyAnchors';

/** Sits at the lost mark's top-left corner, above the drawing input so its button takes clicks. */
const Card = styled.div`
  display: flex;
  position: absolute;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  transform: translateY(calc(-100% - 4px));
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: rgb(0 0 0 / 75%);
  padding: 2px 2px 2px ${(p) => p.theme.space.xs};
  white-space: nowrap;
  color: ${PALETTE.white};
`;

type Props = {
  anchors: LazyMarkAnchors;
  model: AnnotationModel;
  frame: FrameSize;
  layer: RefObject<HTMLDivElement | null>;
};

/** "Lost the object — Pin again" by each anchored mark whose object the tracker lost. */
export function PinAgain({ anchors, model, frame, layer }: Props) {
  const { t } = useI18n();
  const { ids } = useStore(anchors.lost);
  const box = layer.current?.getBoundingClientRect();
  if (!box || ids.length === 0) return null;
  const aspect = frame.width / frame.height;
  return (
    <>
      {ids.map((id) => {
        const mark = model.mark(id);
        if (!mark) return null;
        const transform = model.anchor(id)?.transform;
        const points = mark.points.map((p) => (transform ? applyAnchor(transform, p, aspect) : p));
        const corner: [number, number] = [
          Math.min(1, Math.max(0, Math.min(...points.map((p) => p[0])))),
          Math.min(1, Math.max(0.08, Math.min(...points.map((p) => p[1])))),
        ];
        const at = frameToClient(corner, { left: 0, top: 0, width: box.width, height: box.height }, frame, Fit.contain);
        return (
          <Card key={id} style={{ left: at.x, top: at.y }} data-testid="anchor-lost" data-mark-id={id}>
            <SM tag="span">{t('annotations.anchorLost')}</SM>
            <Button size="small" isPrimary onClick={() => anchors.pin(id)}>
              {t('annotations.pinAgain')}
            </Button>
          </Card>
        );
      })}
    </>
  );
}
