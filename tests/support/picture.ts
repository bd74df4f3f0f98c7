export type Rect = { left: number; top: number; width: number; height: number };
export type Size = { width: number; height: number };

/**
 * Where a picture of `frame` size lands inside `box` under CSS object-fit (contain: letterboxed,
 * cover: cropped). Computed here, independently of the app's own mapping code, so tests can check it.
 */
export function fitted(box: Rect, frame: Size, fit: 'contain' | 'cover'): Rect {
  const s =
    fit === 'contain'
      ? Math.min(box.width / frame.width, box.height / frame.height)
      : Math.max(box.width / frame.width, box.height / frame.height);
  const width = frame.width * s;
  const height = frame.height * s;
  return { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height };
}
