// The photo grid: grouped by day, virtualized so only the rows in view exist in the DOM. It
// stays smooth with tens of thousands of photos because layout is arithmetic, not measurement.
import { thumbnailUrl, type GridPhoto } from "../api";
import { dayHeading, plural } from "../text";

const TARGET_TILE = 190;
const GAP = 6;
const PAD = 16;
const HEADER_HEIGHT = 44;
const OVERSCAN = 600;

type Row =
  | { kind: "header"; key: string; top: number; height: number; day: string; count: number }
  | { kind: "tiles"; key: string; top: number; height: number; first: number; photos: GridPhoto[] };

export class PhotoGrid {
  private photos: GridPhoto[] = [];
  private rows: Row[] = [];
  private tile = TARGET_TILE;
  private rendered = new Map<string, HTMLElement>();
  private frame = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly canvas: HTMLElement,
    private readonly onOpen: (index: number) => void,
    private readonly onAddToPost: (index: number) => void,
  ) {
    scroller.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => {
      this.layout();
      this.schedule();
    }).observe(scroller);
    canvas.addEventListener("click", (e) => {
      const tile = (e.target as HTMLElement).closest<HTMLElement>(".tile");
      if (tile) this.onOpen(Number(tile.dataset.index));
    });
    canvas.addEventListener("keydown", (e) => this.onKey(e));
  }

  get length(): number {
    return this.photos.length;
  }

  photo(index: number): GridPhoto | undefined {
    return this.photos[index];
  }

  setPhotos(photos: GridPhoto[]): void {
    this.photos = photos;
    this.canvas.dataset.totalTiles = String(photos.length);
    this.layout();
    // Rows whose content changed are rebuilt; cheap because only visible rows exist.
    for (const el of this.rendered.values()) el.remove();
    this.rendered.clear();
    this.render();
  }

  /** Scrolls so the tile of `index` is visible and focuses it. */
  reveal(index: number): void {
    const row = this.rows.find(
      (r) => r.kind === "tiles" && index >= r.first && index < r.first + r.photos.length,
    );
    if (!row) return;
    const view = this.scroller;
    if (row.top < view.scrollTop || row.top + row.height > view.scrollTop + view.clientHeight) {
      view.scrollTop = Math.max(0, row.top - view.clientHeight / 3);
    }
    this.render();
    this.canvas.querySelector<HTMLElement>(`.tile[data-index="${index}"]`)?.focus({ preventScroll: true });
  }

  private layout(): void {
    const width = this.scroller.clientWidth - PAD * 2;
    const cols = Math.max(1, Math.floor((width + GAP) / (TARGET_TILE + GAP)));
    this.tile = Math.floor((width - GAP * (cols - 1)) / cols);
    const rows: Row[] = [];
    let top = PAD / 2;
    let i = 0;
    while (i < this.photos.length) {
      const day = this.photos[i].day;
      let end = i;
      while (end < this.photos.length && this.photos[end].day === day) end++;
      rows.push({ kind: "header", key: `h${day}:${i}`, top, height: HEADER_HEIGHT, day, count: end - i });
      top += HEADER_HEIGHT;
      for (let start = i; start < end; start += cols) {
        const slice = this.photos.slice(start, Math.min(end, start + cols));
        rows.push({ kind: "tiles", key: `t${start}:${slice.length}:${cols}`, top, height: this.tile + GAP, first: start, photos: slice });
        top += this.tile + GAP;
      }
      i = end;
    }
    this.rows = rows;
    this.canvas.style.height = `${top + PAD}px`;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const lo = this.scroller.scrollTop - OVERSCAN;
    const hi = this.scroller.scrollTop + this.scroller.clientHeight + OVERSCAN;
    const wanted = new Set<string>();
    for (let r = this.firstRowAt(lo); r < this.rows.length && this.rows[r].top < hi; r++) {
      const row = this.rows[r];
      wanted.add(row.key);
      if (!this.rendered.has(row.key)) {
        const el = this.buildRow(row);
        this.canvas.appendChild(el);
        this.rendered.set(row.key, el);
      }
    }
    for (const [key, el] of this.rendered) {
      if (!wanted.has(key)) {
        el.remove();
        this.rendered.delete(key);
      }
    }
  }

  private firstRowAt(y: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = this.rows[mid];
      if (r.top + r.height < y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private buildRow(row: Row): HTMLElement {
    const el = document.createElement("div");
    el.className = `row row-${row.kind}`;
    el.style.transform = `translateY(${row.top}px)`;
    el.style.height = `${row.height}px`;
    if (row.kind === "header") {
      const h = document.createElement("h3");
      h.textContent = dayHeading(row.day);
      const count = document.createElement("span");
      count.className = "muted";
      count.textContent = plural(row.count, "photo");
      h.append(" ", count);
      el.appendChild(h);
      return el;
    }
    row.photos.forEach((photo, k) => {
      const index = row.first + k;
      const tile = document.createElement("button");
      tile.type = "button";
      tile.className = photo.missing ? "tile missing" : "tile";
      tile.dataset.index = String(index);
      tile.dataset.photoId = String(photo.id);
      tile.style.width = tile.style.height = `${this.tile}px`;
      tile.style.left = `${PAD + k * (this.tile + GAP)}px`;
      const name = photo.name;
      tile.title = photo.missing ? `${name} (missing from disk)` : name;
      const img = document.createElement("img");
      img.decoding = "async";
      img.loading = "lazy";
      img.alt = name;
      img.src = thumbnailUrl(photo.id, "grid");
      tile.appendChild(img);
      el.appendChild(tile);
    });
    return el;
  }

  private onKey(e: KeyboardEvent): void {
    const tile = (e.target as HTMLElement).closest<HTMLElement>(".tile");
    if (!tile) return;
    const index = Number(tile.dataset.index);
    const cols = Math.max(1, Math.floor((this.scroller.clientWidth - PAD * 2 + GAP) / (TARGET_TILE + GAP)));
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
    if (e.key in step) {
      e.preventDefault();
      const next = Math.min(this.photos.length - 1, Math.max(0, index + step[e.key]));
      this.reveal(next);
    } else if (e.key === "p" && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.onAddToPost(index);
    }
  }
}
