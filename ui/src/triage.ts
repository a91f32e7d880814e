// Triage: a grid of untagged face crops, largest first, worked through with the keyboard.
// Type to tag the selected face (Enter accepts), X not a face, I ignore, arrows move, Shift+Enter
// opens the photo. The screen changes first and the save follows, so a key lands on screen in a
// frame; a failed save puts the face back and says why.
import { api, faceCropUrl, type FaceOnPhoto, type FaceState, type Person } from "./api";
import { faceId, history } from "./history";
import { plural } from "./text";
import { Typeahead } from "./typeahead";

/** How many faces are on screen at once; more are fetched as these are done. */
const PAGE = 240;
const REFILL_BELOW = 60;

export class TriageView {
  private items: FaceOnPhoto[] = [];
  private total = 0;
  private people: Person[] = [];
  private selected = 0;
  private readonly typeahead: Typeahead;
  private loading: Promise<void> | null = null;
  /** Key-to-screen times of the last actions, for the benchmark and the E2E report. */
  readonly latencies: number[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly grid: HTMLElement,
    private readonly onError: (message: string) => void,
    private readonly onOpenPhoto: (photoId: number) => void,
    private readonly onCount: (total: number) => void,
  ) {
    this.typeahead = new Typeahead(root);
    grid.addEventListener("click", (e) => {
      const tile = (e.target as HTMLElement).closest<HTMLElement>(".face-tile");
      if (tile) this.select(Number(tile.dataset.index), true);
    });
    grid.addEventListener("dblclick", (e) => {
      const tile = (e.target as HTMLElement).closest<HTMLElement>(".face-tile");
      const item = tile ? this.items[Number(tile.dataset.index)] : undefined;
      if (item) this.onOpenPhoto(item.photo_id);
    });
    grid.addEventListener("keydown", (e) => this.onKey(e));
    history.onChange(() => {
      if (!this.root.hidden) void this.load();
    });
  }

  get isEditing(): boolean {
    return this.typeahead.isOpen;
  }

  /** Fetches the head of the queue and the roster, and redraws. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const [queue, people] = await Promise.all([api.untaggedFaces(PAGE), api.listPeople()]);
        const keep = this.items[this.selected]?.face.id;
        this.items = queue.faces;
        this.total = Number(queue.total);
        this.people = people;
        const again = this.items.findIndex((f) => f.face.id === keep);
        this.selected = again >= 0 ? again : Math.min(this.selected, Math.max(0, this.items.length - 1));
        this.render();
      } catch (e) {
        this.onError(e instanceof Error ? e.message : String(e));
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  focus(): void {
    this.tile(this.selected)?.focus({ preventScroll: false });
  }

  private tile(index: number): HTMLElement | null {
    return this.grid.querySelector<HTMLElement>(`.face-tile[data-index="${index}"]`);
  }

  private render(): void {
    this.grid.replaceChildren(...this.items.map((item, i) => this.buildTile(item, i)));
    this.afterChange();
  }

  private buildTile(item: FaceOnPhoto, index: number): HTMLElement {
    const tile = document.createElement("button");
    tile.type = "button";
    tile.className = "face-tile";
    tile.setAttribute("role", "option");
    tile.dataset.index = String(index);
    tile.dataset.faceId = String(item.face.id);
    tile.dataset.photoId = String(item.photo_id);
    const px = Math.round((item.face.w ?? 0) * item.photo_width);
    tile.title = `Face on photo ${item.photo_id}, ${px} px wide`;
    tile.setAttribute("aria-label", tile.title);
    const img = document.createElement("img");
    img.loading = "lazy";
    img.decoding = "async";
    img.alt = "";
    img.src = faceCropUrl(item.face);
    tile.appendChild(img);
    return tile;
  }

  /** Renumbers tiles, marks the selection, updates counts: after any change to the list. */
  private afterChange(): void {
    const tiles = this.grid.querySelectorAll<HTMLElement>(".face-tile");
    tiles.forEach((t, i) => {
      t.dataset.index = String(i);
      const on = i === this.selected;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    });
    this.grid.dataset.count = String(this.items.length);
    const empty = this.items.length === 0;
    this.root.querySelector<HTMLElement>("#triage-empty")!.hidden = !empty;
    this.root.querySelector<HTMLElement>("#triage-total")!.textContent = empty ? "" : `· ${plural(this.total, "face")} to go`;
    this.onCount(this.total);
  }

  private select(index: number, focus: boolean): void {
    if (!this.items.length) return;
    this.selected = Math.max(0, Math.min(this.items.length - 1, index));
    this.afterChange();
    const t = this.tile(this.selected);
    if (focus && t) {
      t.focus({ preventScroll: true });
      t.scrollIntoView({ block: "nearest" });
    }
  }

  private columns(): number {
    const tiles = this.grid.querySelectorAll<HTMLElement>(".face-tile");
    if (tiles.length < 2) return 1;
    const top = tiles[0].offsetTop;
    let n = 0;
    while (n < tiles.length && tiles[n].offsetTop === top) n++;
    return Math.max(1, n);
  }

  private onKey(e: KeyboardEvent): void {
    if (this.typeahead.isOpen || e.altKey) return;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && (e.key.toLowerCase() === "z" || e.key.toLowerCase() === "y")) {
      e.preventDefault();
      const redo = e.shiftKey || e.key.toLowerCase() === "y";
      (redo ? history.redo() : history.undo()).catch((err: Error) => this.onError(err.message));
      return;
    }
    if (ctrl) return;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: this.columns(), ArrowUp: -this.columns() };
    const item = this.items[this.selected];
    if (e.key in moves) {
      e.preventDefault();
      this.select(this.selected + moves[e.key], true);
    } else if (!item) {
      return;
    } else if (e.key === "x" || e.key === "X") {
      e.preventDefault();
      this.decide(item, null, "not_a_face", "mark not a face", performance.now());
    } else if (e.key === "i" || e.key === "I") {
      e.preventDefault();
      this.decide(item, null, "ignored", "ignore a face", performance.now());
    } else if (e.key === "Enter" && e.shiftKey) {
      e.preventDefault();
      this.onOpenPhoto(item.photo_id);
    } else if (e.key === "Enter" || (e.key.length === 1 && /[\p{L}\p{N}@_-]/u.test(e.key))) {
      e.preventDefault();
      this.openTypeahead(item, e.key === "Enter" ? "" : e.key);
    }
  }

  private openTypeahead(item: FaceOnPhoto, text: string): void {
    const tile = this.tile(this.selected);
    if (!tile) return;
    const a = tile.getBoundingClientRect();
    const r = this.root.getBoundingClientRect();
    this.typeahead.open({
      left: a.left - r.left,
      top: a.bottom - r.top + 4,
      text,
      people: this.people,
      here: [],
      onAccept: (login) => this.decide(item, login, "confirmed", `tag @${login}`, performance.now()),
      onCancel: () => this.focus(),
    });
    // People already on this photo rank last; they arrive a moment later.
    api
      .photoFaces(item.photo_id)
      .then((faces) => this.typeahead.setHere(faces.filter((f) => f.login).map((f) => f.login!)))
      .catch(() => undefined);
  }

  /** Takes the face off the screen at once, then saves; a refused save puts it back. */
  private decide(item: FaceOnPhoto, login: string | null, state: FaceState, label: string, started: number): void {
    const index = this.items.indexOf(item);
    if (index < 0) return;
    this.items.splice(index, 1);
    this.total = Math.max(0, this.total - 1);
    this.tile(index)?.remove();
    this.select(index, true);
    this.measure(started);
    const photoId = item.photo_id;
    const id = item.face.id;
    const save = login ? api.tagFace(photoId, id, login) : api.setFace(photoId, id, null, state);
    save
      .then((after) => {
        history.record({
          label,
          undo: async () => void (await api.setFace(photoId, faceId(id), null, "unreviewed")),
          redo: async () => void (await api.setFace(photoId, faceId(id), after.login, after.state)),
        });
        if (login && !this.people.some((p) => p.login.toLowerCase() === login.toLowerCase())) {
          api.listPeople().then((p) => (this.people = p)).catch(() => undefined);
        }
        if (this.items.length < REFILL_BELOW && this.total > this.items.length) void this.load();
      })
      .catch((e: Error) => {
        this.onError(e.message);
        void this.load();
      });
  }

  private measure(started: number): void {
    // Two frames: the first runs before the paint of this change, the second after it.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const ms = performance.now() - started;
        this.latencies.push(ms);
        if (this.latencies.length > 200) this.latencies.shift();
        this.grid.dataset.lastKeyToScreenMs = ms.toFixed(1);
      }),
    );
  }
}
