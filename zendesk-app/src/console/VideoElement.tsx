import { useEffect, useRef, type VideoHTMLAttributes } from 'react';

type Props = Omit<VideoHTMLAttributes<HTMLVideoElement>, 'muted' | 'src'> & {
  stream: MediaStream | null;
  muted: boolean;
  /**
   * The browser refused to start playback with sound (no user gesture in this frame yet). The
   * element then plays muted, and the caller offers a button that unmutes on a real click.
   */
  onSoundBlocked?: () => void;
};

/** A `<video>` bound to a MediaStream (`srcObject` has no JSX attribute). */
export function VideoElement({ stream, muted, onSoundBlocked, ...rest }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  const onBlocked = useRef(onSoundBlocked);
  useEffect(() => {
    onBlocked.current = onSoundBlocked;
  }, [onSoundBlocked]);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = stream;
    if (stream) {
      video.play().catch((err: unknown) => {
        if (!(err instanceof DOMException) || err.name !== 'NotAllowedError' || video.muted) return;
        video.muted = true;
        onBlocked.current?.();
        void video.play().catch(() => undefined);
      });
    }
    return () => {
      video.srcObject = null;
    };
  }, [stream]);

  useEffect(() => {
    // React does not keep the `muted` attribute in sync after mount; set the property instead.
    const video = ref.current;
    if (!video) return;
    video.muted = muted;
    if (!muted && video.srcObject && video.paused) void video.play().catch(() => undefined);
  }, [muted]);

  return <video ref={ref} autoPlay playsInline muted={muted} {...rest} />;
}
