import type { ReactNode, SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

function Svg({ children, ...props }: IconProps & { children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 16 16"
      width={16}
      height={16}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const ChatBubbleIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M14.5 7.6c0 3.2-2.9 5.6-6.5 5.6-.9 0-1.8-.1-2.6-.4L1.5 14.5l1.2-3.1C1.9 10.4 1.5 9 1.5 7.6 1.5 4.5 4.4 2 8 2s6.5 2.5 6.5 5.6Z" />
  </Svg>
);

export const CloseIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="m3.5 3.5 9 9m0-9-9 9" />
  </Svg>
);

export const PaperclipIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="m13.5 7.5-5.7 5.7a3.3 3.3 0 0 1-4.7-4.7l6-6a2.2 2.2 0 0 1 3.1 3.1l-6 6a1.1 1.1 0 0 1-1.6-1.6l5.4-5.4" />
  </Svg>
);

export const SendIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M14.5 1.5 7 9M14.5 1.5 10 14.5 7 9 1.5 6l13-4.5Z" />
  </Svg>
);

export const ReplyIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 12 2 8l4-4" />
    <path d="M14 13v-1.5A3.5 3.5 0 0 0 10.5 8H2" />
  </Svg>
);

export const RetryIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2 8a6 6 0 1 0 2-4.5L2 5.5" />
    <path d="M2 2v3.5h3.5" />
  </Svg>
);
