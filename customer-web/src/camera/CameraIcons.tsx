import { Svg, type IconProps } from '../ui/components/Icons.js';

export const FlashlightIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M18 6c0 2-2 2-2 4v10a2 2 0 0 1-2 2h-4a2 2 0 0 1-2-2V10c0-2-2-2-2-4V2h12z" />
    <path d="M6 6h12" />
    <path d="M12 12v2" />
  </Svg>
);

export const FlashlightOffIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M16 16v4a2 2 0 0 1-2 2h-4a2 2 0 0 1-2-2V10c0-2-2-2-2-4" />
    <path d="M7 2h11v4c0 2-2 2-2 4v1" />
    <path d="M11 6h7" />
    <path d="m2 2 20 20" />
  </Svg>
);
