import { strokeIcon as icon } from '../../components/icons';

/** The annotation tools Garden has no icon for. */
export const PointerIcon = icon(
  <>
    <circle cx="8" cy="8" r="2.5" fill="currentColor" />
    <circle cx="8" cy="8" r="6" strokeDasharray="2 2" />
  </>,
);
export const RectangleIcon = icon(<rect x="2" y="3.5" width="12" height="9" rx="1" />);
export const ArrowIcon = icon(
  <>
    <path d="M3 13 13 3" />
    <path d="M7 3h6v6" />
  </>,
);
export const FreehandIcon = icon(<path d="M2 11c2-5 4-7 5-5s-1 6 1 6 3-6 6-8" />);
export const FreezeIcon = icon(
  <>
    <path d="M8 1.5v13M2.4 4.75l11.2 6.5M2.4 11.25l11.2-6.5" />
    <path d="M6 2.5 8 4l2-1.5M6 13.5 8 12l2 1.5" />
  </>,
);
export const PlayIcon = icon(<path d="M4.5 2.5v11l9-5.5z" />);
export const UndoIcon = icon(
  <>
    <path d="M5 3 2 6l3 3" />
    <path d="M2 6h7.5a4 4 0 0 1 0 8H6" />
  </>,
);
export const ClearIcon = icon(
  <>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.8 9.5h6.4L12 4" />
  </>,
);
export const CameraIcon = icon(
  <>
    <path d="M1.5 5.5a1 1 0 0 1 1-1h2l1.2-2h4.6l1.2 2h2a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />
    <circle cx="8" cy="8.5" r="2.5" />
  </>,
);
/** Read text: a scanner's corner marks around two lines of text. */
export const ReadTextIcon = icon(
  <>
    <path d="M1.5 4.5v-2a1 1 0 0 1 1-1h2M11.5 1.5h2a1 1 0 0 1 1 1v2M14.5 11.5v2a1 1 0 0 1-1 1h-2M4.5 14.5h-2a1 1 0 0 1-1-1v-2" />
    <path d="M4.5 6.5h7M4.5 9.5h5" />
  </>,
);
