import { useEffect, useRef } from 'react';

type Props = {
  stream: MediaStream | null;
  muted?: boolean;
  mirrored?: boolean;
  className?: string;
  label: string;
};

/** A <video> bound to a MediaStream; `srcObject` has no JSX attribute, so an effect sets it. */
export function VideoView({ stream, muted = false, mirrored = false, className, label }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = stream;
    if (stream) {
      // Autoplay can be refused (e.g. power saving); the next user tap will start it.
      video.play().catch(() => undefined);
    }
    return () => {
      video.srcObject = null;
    };
  }, [stream]);
  return (
    <video
      ref={ref}
      className={[className, mirrored ? 'is-mirrored' : ''].filter(Boolean).join(' ')}
      autoPlay
      playsInline
      muted={muted}
      aria-label={label}
    />
  );
}
