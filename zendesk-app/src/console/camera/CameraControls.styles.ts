import styled, { css, keyframes } from 'styled-components';
import { Range } from '@zendeskgarden/react-forms';
import { getColor } from '@zendeskgarden/react-theming';
import { ToolBarFrame } from '../ToolBarFrame';

/**
 * The camera's own bar, beside the annotation tool bar when the row has room for both and under
 * it when not (AnnotationControls). A fixed basis, not its content's width, so a refusal showing
 * up does not move the bar from one row to the other; it wraps within itself only when narrow.
 */
export const Bar = styled(ToolBarFrame)`
  flex: 1 1 560px;
  min-width: 0;
`;

/** Says whose camera these buttons drive: the annotation bar next to it has a snapshot camera. */
export const Title = styled.span`
  margin-right: ${(p) => p.theme.space.xxs};
  white-space: nowrap;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
`;

export const Group = styled.div`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs};
`;

export const Divider = styled.span`
  align-self: stretch;
  margin: ${(p) => p.theme.space.xxs} 0;
  background: ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  width: 1px;
`;

export const ZoomSlider = styled(Range)`
  flex: 0 1 112px;
  margin: 0 ${(p) => p.theme.space.xxs};
  min-width: 64px;
`;

/** "2.0×": fixed width so the bar does not shift while the level changes. */
export const Level = styled.span`
  min-width: 4ch;
  text-align: right;
  white-space: nowrap;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
  font-variant-numeric: tabular-nums;
`;

const appear = keyframes`
  from {
    opacity: 0;
  }
  to {
    opacity: 1;
  }
`;

/** Right-aligned like the annotation bar's Freeze and Snapshot; takes a line of its own when narrow. */
export const StatusArea = styled.div`
  display: flex;
  align-items: center;
  margin-left: auto;
  min-width: 0;
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

const statusLine = css`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs};

  & > svg {
    flex: none;
  }
`;

export const Problem = styled.span`
  ${statusLine}
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.danger' })};
`;

/** A phone that answers at once never shows "waiting", so nothing flickers while the slider moves. */
export const Waiting = styled.span`
  ${statusLine}
  animation: ${appear} 150ms ease-out 400ms both;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;
