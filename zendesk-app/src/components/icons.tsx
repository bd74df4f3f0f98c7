import type { SVGProps } from 'react';
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

type IconProps = SVGProps<SVGSVGElement>;

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
