import type { ReactNode, SVGProps } from 'react';
import copy from '@zendeskgarden/svg-icons/src/16/copy-stroke.svg?raw';
import video from '@zendeskgarden/svg-icons/src/16/video-stroke.svg?raw';
import videoOff from '@zendeskgarden/svg-icons/src/16/video-off-stroke.svg?raw';
import micOn from '@zendeskgarden/svg-icons/src/16/microphone-on-stroke.svg?raw';
import micOff from '@zendeskgarden/svg-icons/src/16/microphone-off-stroke.svg?raw';
import newWindow from '@zendeskgarden/svg-icons/src/16/new-window-stroke.svg?raw';
import callEnd from '@zendeskgarden/svg-icons/src/16/phone-call-end-stroke.svg?raw';
import check from '@zendeskgarden/svg-icons/src/16/check-sm-stroke.svg?raw';
import alert from '@zendeskgarden/svg-icons/src/16/alert-warning-stroke.svg?raw';
import volume from '@zendeskgarden/svg-icons/src/16/volume-unmuted-stroke.svg?raw';
import speechBubble from '@zendeskgarden/svg-icons/src/16/speech-bubble-plain-stroke.svg?raw';
import close from '@zendeskgarden/svg-icons/src/16/x-stroke.svg?raw';
import paperclip from '@zendeskgarden/svg-icons/src/16/paperclip.svg?raw';
import download from '@zendeskgarden/svg-icons/src/16/download-stroke.svg?raw';
import reload from '@zendeskgarden/svg-icons/src/16/reload-stroke.svg?raw';

type IconProps = SVGProps<SVGSVGElement>;

/** A 16-px stroke icon in Garden's style, for what Garden's set has no icon for. */
export function strokeIcon(children: ReactNode) {
  return function Icon(props: IconProps) {
    return (
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={16}
        height={16}
        viewBox="0 0 16 16"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        strokeLinecap="round"
        strokeLinejoin="round"
        focusable="false"
        aria-hidden="true"
        {...props}
      >
        {children}
      </svg>
    );
  };
}

/** Turns one of Garden's SVG files into a component (the markup is our own dependency's, not user input). */
function fromSvg(raw: string) {
  const viewBox = /viewBox="([^"]+)"/.exec(raw)?.[1] ?? '0 0 16 16';
  const inner = raw.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  function Icon(props: IconProps) {
    return (
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={16}
        height={16}
        viewBox={viewBox}
        focusable="false"
        aria-hidden="true"
        {...props}
        dangerouslySetInnerHTML={{ __html: inner }}
      />
    );
  }
  return Icon;
}

export const CopyIcon = fromSvg(copy);
export const VideoIcon = fromSvg(video);
export const VideoOffIcon = fromSvg(videoOff);
export const MicOnIcon = fromSvg(micOn);
export const MicOffIcon = fromSvg(micOff);
export const NewWindowIcon = fromSvg(newWindow);
export const CallEndIcon = fromSvg(callEnd);
export const CheckIcon = fromSvg(check);
export const AlertIcon = fromSvg(alert);
export const VolumeIcon = fromSvg(volume);
export const ChatBubbleIcon = fromSvg(speechBubble);
export const CloseIcon = fromSvg(close);
export const PaperclipIcon = fromSvg(paperclip);
export const DownloadIcon = fromSvg(download);
export const RetryIcon = fromSvg(reload);
export const SendIcon = strokeIcon(<path d="M14.5 1.5 7 9M14.5 1.5 10 14.5 7 9 1.5 6l13-4.5Z" />);
export const ReplyIcon = strokeIcon(
  <>
    <path d="M6 12 2 8l4-4" />
    <path d="M14 13v-1.5A3.5 3.5 0 0 0 10.5 8H2" />
  </>,
);
