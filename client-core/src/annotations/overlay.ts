import { SVG, type G, type Svg } from '@svgdotjs/svg.js';
import { Role, type Mark } from '@live-assist/protocol';
import { displayScale, Fit, type FrameSize } from './mapping.js';
import { TRAIL_MS, type AnnotationModel, type PointerView } from './model.js';
import { outlinePath, shaftEnd, shapeOf } from './shapes.js';

export interface OverlayOptions {
  fit: Fit;
  mirrored?: boolean;
  /** Called after each render that changed a pointer (the latency bench hooks in here). */
  onPointerPainted?: (role: Role) => void;
}

const POINTER_COLORS: Record<Role, string> = { specialist: '#ff1f1f', customer: '#00b7ff' };
/** Screen pixels, whatever the zoom. */
const POINTER_RADIUS = 9;

/**
 * The annotation layer over a video or still: one SVG whose viewBox is the frame's intrinsic size
 * and whose preserveAspectRatio matches the element's object-fit, so frame pixels line up with the
 * picture on any box. Mirroring flips one group. Rendering is incremental: a mark is redrawn only
 * when its version changes.
 */
export class AnnotationOverlay {
  private readonly svg: Svg;
  private readonly flip: G;
  private readonly marksLayer: G;
  private readonly pointerLayer: G;
  private readonly drawn = new Map<string, { version: number; group: G; frame: string }>();
  private frame: FrameSize | null = null;
  private fit: Fit;
  private mirrored: boolean;
  private fadeHandle = 0;
  private readonly off: () => void;
  private readonly resize: ResizeObserver | null;

  constructor(
    private readonly host: HTMLElement,
    private readonly model: AnnotationModel,
    private readonly opts: OverlayOptions,
  ) {
    this.fit = opts.fit;
    this.mirrored = opts.mirrored ?? false;
    this.svg = SVG().addTo(host).size('100%', '100%');
    this.svg.attr({ 'aria-hidden': 'true', 'data-testid': 'annotation-layer', focusable: 'false' });
    this.svg.css({ position: 'absolute', inset: '0', 'pointer-events': 'none', overflow: 'hidden' });
    this.flip = this.svg.group();
    // A soft dark halo keeps bright marks readable on bright scenes and vice versa.
    this.marksLayer = this.flip.group().css({ filter: 'drop-shadow(0 0 1.5px rgb(0 0 0 / 0.75))' });
    this.pointerLayer = this.flip.group();
    this.off = model.on('change', () => this.render());
    this.resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.renderPointers());
    this.resize?.observe(host);
    this.applyFrame();
  }

  /** The intrinsic size of what is shown (video frame or still); null hides every mark. */
  setFrame(frame: FrameSize | null): void {
    const same = frame && this.frame && frame.width === this.frame.width && frame.height === this.frame.height;
    if (same || (!frame && !this.frame)) return;
    this.frame = frame && frame.width > 0 && frame.height > 0 ? { ...frame } : null;
    this.applyFrame();
  }

  setView(fit: Fit, mirrored: boolean): void {
    if (fit === this.fit && mirrored === this.mirrored) return;
    this.fit = fit;
    this.mirrored = mirrored;
    this.applyFrame();
  }

  render(): void {
    this.renderMarks();
    this.renderPointers();
  }

  dispose(): void {
    this.off();
    this.resize?.disconnect();
    cancelAnimationFrame(this.fadeHandle);
    this.svg.remove();
  }

  private applyFrame(): void {
    const f = this.frame;
    this.svg.css({ visibility: f ? 'visible' : 'hidden' });
    if (f) {
      this.svg.viewbox(0, 0, f.width, f.height);
      this.svg.attr({ preserveAspectRatio: `xMidYMid ${this.fit === Fit.cover ? 'slice' : 'meet'}` });
      this.flip.attr({ transform: this.mirrored ? `matrix(-1 0 0 1 ${f.width} 0)` : null });
    }
    this.render();
  }

  private renderMarks(): void {
    const f = this.frame;
    const marks = f ? this.model.visibleMarks() : [];
    const keep = new Set(marks.map((m) => m.id));
    for (const [id, entry] of this.drawn) {
      if (!keep.has(id)) {
        entry.group.remove();
        this.drawn.delete(id);
      }
    }
    if (!f) return;
    const frameKey = `${f.width}x${f.height}`;
    for (const mark of marks) {
      const entry = this.drawn.get(mark.id);
      if (entry && entry.version === mark.version && entry.frame === frameKey) continue;
      const group = entry?.group ?? this.marksLayer.group();
      group.clear();
      this.drawMark(group, mark, f);
      this.drawn.set(mark.id, { version: mark.version, group, frame: frameKey });
    }
  }

  private drawMark(group: G, mark: Mark, f: FrameSize): void {
    group.attr({ 'data-mark-id': mark.id, 'data-tool': mark.tool, 'data-color': mark.color });
    const shape = shapeOf(mark, f);
    switch (shape.kind) {
      case 'rect':
        group
          .rect(shape.width, shape.height)
          .move(shape.x, shape.y)
          .fill('none')
          .stroke({ color: mark.color, width: shape.stroke, linejoin: 'round' })
          .attr({ 'data-part': 'shape' });
        return;
      case 'arrow': {
        const [sx, sy] = shaftEnd(shape);
        group
          .line(shape.x1, shape.y1, sx, sy)
          .stroke({ color: mark.color, width: shape.stroke, linecap: 'round' })
          .attr({ 'data-part': 'shaft' });
        if (shape.head.length > 0) group.polygon(shape.head).fill(mark.color).attr({ 'data-part': 'head' });
        return;
      }
      case 'stroke':
        group.path(outlinePath(shape.outline)).fill(mark.color).attr({ 'data-part': 'shape' });
        return;
    }
  }

  private renderPointers(): void {
    this.pointerLayer.clear();
    const f = this.frame;
    if (!f) return;
    const box = this.host.getBoundingClientRect();
    const scale = displayScale({ left: 0, top: 0, width: box.width, height: box.height }, f, this.fit) || 1;
    const r = POINTER_RADIUS / scale;
    const now = performance.now();
    let fading = false;
    for (const role of [Role.customer, Role.specialist]) {
      const view = this.model.pointer(role);
      if (!view) continue;
      fading = this.drawPointer(role, view, f, r, now) || fading;
      this.opts.onPointerPainted?.(role);
    }
    cancelAnimationFrame(this.fadeHandle);
    if (fading) this.fadeHandle = requestAnimationFrame(() => this.renderPointers());
  }

  /** Returns whether part of the trail is still fading out. */
  private drawPointer(role: Role, view: PointerView, f: FrameSize, r: number, now: number): boolean {
    const color = POINTER_COLORS[role];
    const trail = view.trail.filter((t) => now - t.at < TRAIL_MS);
    for (let i = 1; i < trail.length; i += 1) {
      const a = trail[i - 1]!;
      const b = trail[i]!;
      const life = 1 - (now - a.at) / TRAIL_MS;
      this.pointerLayer
        .line(a.point[0] * f.width, a.point[1] * f.height, b.point[0] * f.width, b.point[1] * f.height)
        .stroke({ color, width: r * 1.2 * life, linecap: 'round', opacity: 0.55 * life });
    }
    const [x, y] = [view.point[0] * f.width, view.point[1] * f.height];
    this.pointerLayer
      .circle(r * 2)
      .center(x, y)
      .fill(color)
      .stroke({ color: '#ffffff', width: r * 0.35 })
      .attr({ 'data-pointer': role });
    return trail.length > 1;
  }
}
