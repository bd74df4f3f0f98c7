import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';

/** The framed row every tool bar under the picture sits in (annotation tools, the phone's camera). */
export const ToolBarFrame = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  /* xs: with sm the German and Bulgarian Freeze labels wrap onto a second row in the 1100 px modal. */
  gap: ${(p) => p.theme.space.xs};
  border: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
  padding: ${(p) => p.theme.space.xs} ${(p) => p.theme.space.sm};
`;
