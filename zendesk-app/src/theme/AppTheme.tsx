import type { ReactNode } from 'react';
import { createGlobalStyle } from 'styled-components';
import {
  ColorSchemeProvider,
  DEFAULT_THEME,
  ThemeProvider,
  getColor,
  useColorScheme,
  type IGardenTheme,
} from '@zendeskgarden/react-theming';

const GlobalStyle = createGlobalStyle`
  html,
  body {
    margin: 0;
    background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
    font-family: ${(p) => p.theme.fonts.system};
    /* Garden's body size: its Paragraph and plain text otherwise fall back to the browser's 16 px. */
    font-size: ${(p) => p.theme.fontSizes.md};
    line-height: ${(p) => p.theme.lineHeights.md};
    color-scheme: ${(p) => p.theme.colors.base};
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  /* Garden assumes a reset (css-bedrock): its typography as h2 or p would keep the browser's
     margins, and the layouts space their parts with gap. */
  h1,
  h2,
  h3,
  h4,
  p {
    margin: 0;
  }
`;

function Themed({ children }: { children: ReactNode }) {
  const { colorScheme } = useColorScheme();
  const theme: IGardenTheme = { ...DEFAULT_THEME, colors: { ...DEFAULT_THEME.colors, base: colorScheme } };
  return (
    <ThemeProvider theme={theme}>
      <GlobalStyle />
      {children}
    </ThemeProvider>
  );
}

/** Garden's base theme in the agent's system colour scheme, following it live. */
export function AppTheme({ children }: { children: ReactNode }) {
  // No stored preference: the helpdesk app follows the system like the agent's other tools.
  return (
    <ColorSchemeProvider initialColorScheme="system" colorSchemeKey={null}>
      <Themed>{children}</Themed>
    </ColorSchemeProvider>
  );
}
