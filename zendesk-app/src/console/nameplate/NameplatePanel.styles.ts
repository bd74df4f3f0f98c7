import styled from 'styled-components';
import { PALETTE, getColor } from '@zendeskgarden/react-theming';
import { MD } from '@zendeskgarden/react-typography';

/**
 * Framed like the tool bar above it, and as flat: the crop on the left, the fields in one row
 * beside it, so the picture above keeps most of the modal's height.
 */
export const Card = styled.section`
  display: grid;
  grid-template-columns: clamp(112px, 20%, 200px) minmax(0, 1fr);
  align-items: start;
  gap: ${(p) => p.theme.space.sm};
  border: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
  padding: ${(p) => p.theme.space.xs} ${(p) => p.theme.space.sm};
  min-width: 0;
`;

/** Dark like the stage, so a light plate reads as a crop of the picture. */
export const CropBox = styled.div`
  display: grid;
  place-items: center;
  margin-top: ${(p) => p.theme.space.xxs};
  border-radius: ${(p) => p.theme.borderRadii.sm};
  background: ${PALETTE.grey[1200]};
  aspect-ratio: 16 / 10;
  overflow: hidden;
`;

export const CropImage = styled.img`
  display: block;
  width: 100%;
  height: 100%;
  object-fit: contain;
`;

export const Main = styled.div`
  display: grid;
  container: nameplate / inline-size;
  gap: ${(p) => p.theme.space.xs};
  align-content: start;
  min-width: 0;
`;

/** Title, then what is going on, on one line while it fits. */
export const Header = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs} ${(p) => p.theme.space.sm};
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
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};

  &:empty {
    display: none;
  }
`;

/** A problem in a line, not a banner: the fields under it are the way on. */
export const Problem = styled.p<{ $error: boolean }>`
  display: flex;
  flex-basis: 100%;
  align-items: flex-start;
  gap: ${(p) => p.theme.space.xs};
  margin: 0;
  color: ${(p) => getColor({ theme: p.theme, variable: p.$error ? 'foreground.danger' : 'foreground.warning' })};
  font-size: ${(p) => p.theme.fontSizes.sm};

  & > svg {
    flex: none;
    margin-top: 2px;
  }
`;

/**
 * The three fields side by side, sized for what they hold (a model name runs to 20–30 characters,
 * a date to 8); stacked when the console is too narrow for that.
 */
export const FieldGrid = styled.div`
  display: grid;
  grid-template-columns: minmax(0, 1.5fr) minmax(0, 1.1fr) minmax(0, 1fr);
  gap: ${(p) => p.theme.space.sm};

  @container nameplate (max-width: 520px) {
    grid-template-columns: minmax(0, 1fr);
  }

  /* Garden's label and message spacing is meant for forms; the panel is denser. */
  & label {
    /* "Herstellungsdatum" is one word: it may break rather than run under the next field. */
    overflow-wrap: anywhere;
    font-size: ${(p) => p.theme.fontSizes.sm};
  }

  & [data-garden-id='forms.input_message'] {
    margin-top: ${(p) => p.theme.space.xxs};
  }

  & input {
    font-family: ${(p) => p.theme.fonts.mono};
  }
`;

/** Actions on the left; codes and the full text after them. */
export const Footer = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xs} ${(p) => p.theme.space.md};
`;

export const Actions = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: ${(p) => p.theme.space.xs};
`;

export const Codes = styled.ul`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xs} ${(p) => p.theme.space.sm};
  margin: 0;
  padding: 0;
  min-width: 0;
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

  &[open] {
    flex-basis: 100%;
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

export const Saved = styled.span`
  display: inline-flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};

  & > svg {
    flex: none;
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.success' })};
  }
`;
