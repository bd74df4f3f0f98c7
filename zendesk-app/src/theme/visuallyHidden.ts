import { css } from 'styled-components';

/** Out of sight but still read out by screen readers (and still the element's accessible name). */
export const visuallyHidden = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;
