import styled from 'styled-components';
import { PALETTE, getColor } from '@zendeskgarden/react-theming';
import { MD, SM } from '@zendeskgarden/react-typography';

/** Framed like the tool bar above it; the crop on the left, the rest beside it. */
export const Card = styled.section`
  display: grid;
  grid-template-columns: clamp(140px, 22%, 220px) minmax(0, 1fr);
  gap: ${(p) => p.theme.space.md};
  border: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
  padding: ${(p) => p.theme.space.sm};
  min-width: 0;
`;

/** Dark like the stage, so a light plate reads as a crop of the picture. */
export const CropBox = styled.div`
  display: grid;
  place-items: center;
  border-radius: ${(p) => p.theme.borderRadii.sm};
  background: ${PALETTE.grey[1200]};
  min-height: 96px;
  max-height: 180px;
  overflow: hidden;
`;

export const CropImage = styled.img`
  display: block;
  max-width: 100%;
  max-height: 180px;
  object-fit: contain;
`;

export const Main = styled.div`
  display: grid;
  gap: ${(p) => p.theme.space.xs};
  align-content: start;
  min-width: 0;
`;

export const Header = styled.div`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.sm};
  min-height: 24px;
`;

export const Title = styled(MD)`
  display: inline-flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;

  & > svg {
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.primary' })};
  }
`;

export const Status = styled.span`
  display: inline-flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

export const Note = styled(SM)`
  margin: 0;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

export const Body = styled.div`
  display: grid;
  gap: ${(p) => p.theme.space.xs};
  min-width: 0;
`;

/** Three fields side by side where they fit, else as many as fit per row. */
export const FieldGrid = styled.div`
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(170px, 1fr));
  gap: ${(p) => p.theme.space.sm};

  /* Garden's message is a block with a top margin meant for forms; the panel is denser. */
  & [data-garden-id='forms.input_message'] {
    margin-top: ${(p) => p.theme.space.xxs};
  }

  & input {
    font-family: ${(p) => p.theme.fonts.mono};
  }
`;

export const Codes = styled.ul`
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: ${(p) => p.theme.space.xs} ${(p) => p.theme.space.sm};
  margin: 0;
  padding: 0;
  list-style: none;
  font-size: ${(p) => p.theme.fontSizes.sm};

  & code {
    font-family: ${(p) => p.theme.fonts.mono};
    overflow-wrap: anywhere;
  }
`;

export const FullText = styled.details`
  font-size: ${(p) => p.theme.fontSizes.sm};

  & > summary {
    cursor: pointer;
    width: max-content;
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.primary' })};
  }

  & > pre {
    margin: ${(p) => p.theme.space.xxs} 0 0;
    border-radius: ${(p) => p.theme.borderRadii.sm};
    background: ${(p) => getColor({ theme: p.theme, variable: 'background.subtle' })};
    padding: ${(p) => p.theme.space.xs};
    max-height: 96px;
    overflow: auto;
    white-space: pre-wrap;
    font-family: ${(p) => p.theme.fonts.mono};
  }
`;

export const Saved = styled.p`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.success' })};

  & > svg {
    flex: none;
  }

  & > span {
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
  }
`;

export const Actions = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: ${(p) => p.theme.space.xs};
  margin-top: ${(p) => p.theme.space.xxs};
`;
