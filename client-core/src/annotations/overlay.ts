import { SVG, type Circle, type G, type Line, type Svg } from '@svgdotjs/svg.js';
import { Role, type Mark } from '@live-assist/protocol';
import { displayScale, Fit, type FrameSize } from './mapping.js';
import { TRAIL_MS, type AnnotationModel, type PointerView } from './model.js';
import { anchorStyle } from './anchor-view.js';
import { outlinePath, shaftEnd, shapeOf } from './shapes.js';

export interface OverlayOptions {
  fit: Fit;
  mirrored?: boolean;
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
  private readonly sprites = new Map<Role, PointerSprite>();
  /** The host's size, kept by the ResizeObserver: measuring per pointer move would force a layout. */
  private hostSize: { width: number; height: number };
  private frame: FrameSize | null = null;
  private fit: Fit;
  private mirrored: boolean;
  private fadeHandle = 0;
  private readonly offs: Array<() => void>;
  private readonly resize: ResizeObserver | null;

  constructor(
    host: HTMLElement,
    private readonly model: AnnotationModel,
    opts: OverlayOptions,
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
    this.offs = [
      model.on('change', () => this.render()),
      model.on('pointer', () => this.renderPointers()),
      model.on('anchor', (id) => this.renderAnchor(id)),
    ];
    const box = host.getBoundingClientRect();
    this.hostSize = { width: box.width, height: box.height };
    this.resize =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            const rect = entries.at(-1)?.contentRect;
            if (rect) this.hostSize = { width: rect.width, height: rect.height };
            this.renderPointers();
          });
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
    for (const off of this.offs) off();
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
      this.renderAnchor(mark.id);
    }
  }

  /** Moves an anchored mark with its object: one attribute change, the shape itself is not redrawn. */
  private renderAnchor(id: string): void {
    const entry = this.drawn.get(id);
    const f = this.frame;
    const mark = this.model.mark(id);
    if (!entry || !f || !mark?.anchored) return;
    const style = anchorStyle(this.model.anchor(id), f);
    entry.group.attr({ transform: style.transform, opacity: style.opacity, 'data-anchor': style.state });
    entry.group.css({ transition: 'opacity 300ms ease-out' });
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
    const f = this.frame;
    const { width, height } = this.hostSize;
    const scale = f ? displayScale({ left: 0, top: 0, width, height }, f, this.fit) || 1 : 1;
    const now = performance.now();
    let fading = false;
    for (const role of [Role.customer, Role.specialist]) {
      const view = f ? this.model.pointer(role) : null;
      let sprite = this.sprites.get(role);
      if (!view || !f) {
        sprite?.remove();
        this.sprites.delete(role);
        continue;
      }
      if (!sprite) {
        sprite = new PointerSprite(this.pointerLayer, role);
        this.sprites.set(role, sprite);
      }
      fading = sprite.draw(view, f, POINTER_RADIUS / scale, now) || fading;
    }
    cancelAnimationFrame(this.fadeHandle);
    if (fading) this.fadeHandle = requestAnimationFrame(() => this.renderPointers());
  }
}

/**
 * One side's laser dot and its fading trail. The elements live as long as the pointer shows, and
 * a move only rewrites their attributes: the pointer repaints up to 60 times a second on both
 * screens, and rebuilding the elements each time kept a busy phone's main thread from the messages.
 */
class PointerSprite {
  private readonly group: G;
  private readonly trail: G;
  private readonly dot: Circle;
  private readonly lines: Line[] = [];
  private readonly color: string;

  constructor(layer: G, role: Role) {
    this.color = POINTER_COLORS[role];
    this.group = layer.group();
    this.trail = this.group.group().attr({ stroke: this.color, 'stroke-linecap': 'round' });
    this.dot = this.group.circle(0).fill(this.color).attr({ stroke: '#ffffff', 'data-pointer': role });
  }

  /** Returns whether part of the trail is still fading out. */
  draw(view: PointerView, f: FrameSize, r: number, now: number): boolean {
    const trail = view.trail.filter((t) => now - t.at < TRAIL_MS);
    const segments = Math.max(0, trail.length - 1);
    while (this.lines.length > segments) this.lines.pop()?.remove();
    for (let i = 0; i < segments; i += 1) {
      const a = trail[i]!;
      const b = trail[i + 1]!;
      const life = 1 - (now - a.at) / TRAIL_MS;
      const line = this.lines[i] ?? this.addLine();
      line.attr({
        x1: a.point[0] * f.width,
        y1: a.point[1] * f.height,
        x2: b.point[0] * f.width,
        y2: b.point[1] * f.height,
        'stroke-width': r * 1.2 * life,
        'stroke-opacity': 0.55 * life,
      });
    }
    this.dot.attr({ cx: view.point[0] * f.width, cy: view.point[1] * f.height, r, 'stroke-width': r * 0.35 });
    return trail.length > 1;
  }

  remove(): void {
    this.group.remove();
  }

  private addLine(): Line {
    const line = this.trail.line(0, 0, 0, 0);
    this.lines.push(line);
    return line;
  }
}
