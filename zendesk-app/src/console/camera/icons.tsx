import { strokeIcon as icon } from '../../components/icons';

/** Camera controls Garden has no icon for. */
export const TorchIcon = icon(
  <>
    <path d="M4.5 1.5h7v2L10 6v8.5H6V6L4.5 3.5z" />
    <path d="M8 8.5v2M4.5 3.5h7" />
  </>,
);
export const ZoomOutIcon = icon(<path d="M3.5 8h9" />);
export const ZoomInIcon = icon(<path d="M8 3.5v9M3.5 8h9" />);
export const SwitchCameraIcon = icon(
  <>
    <path d="M1.5 5.5a1 1 0 0 1 1-1h2l1.2-2h4.6l1.2 2h2a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />
    <path d="M5.5 9a2.5 2.5 0 0 1 4.4-1.6M10.5 9a2.5 2.5 0 0 1-4.4 1.6" />
    <path d="M10 5.9v1.6H8.4M6 12.1v-1.6h1.6" />
  </>,
);
export const FocusIcon = icon(
  <>
    <path d="M1.5 5V2.5a1 1 0 0 1 1-1H5M11 1.5h2.5a1 1 0 0 1 1 1V5M14.5 11v2.5a1 1 0 0 1-1 1H11M5 14.5H2.5a1 1 0 0 1-1-1V11" />
    <circle cx="8" cy="8" r="2" />
  </>,
);
