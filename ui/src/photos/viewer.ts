// The photo viewer: a preview sized to the window, an info panel, arrow keys to move, Esc to close.
import { api, thumbnailUrl, type PhotoDetails, type GridPhoto, type WhoEntry } from "../api";
import { byId } from "../dom";
import { FaceLayer, type Rows } from "../faces/faceLayer";
import { FigureDialog } from "../exports/figure";
import { history } from "../history";
import { captureTime, fileSize } from "../text";

export { default as viewerTemplate } from "./viewer.html?raw";

const ORIENTATIONS = [
  "",
  "Normal",
  "Mirrored",
  "Rotated 180°",
  "Flipped vertically",
  "Mirrored, rotated 90° CCW",
  "Rotated 90° CW",
  "Mirrored, rotated 90° CW",
  "Rotated 90° CCW",
];

export class Viewer {
  private index = -1;
  /** The neighbours' previews being read ahead (kept so they are not dropped half-read). */
  private preloaded: HTMLImageElement[] = [];
  private returnFocus: HTMLElement | null = null;
  private readonly root = byId("viewer");
  private readonly image = byId<HTMLImageElement>("viewer-image");
  private readonly faces: FaceLayer;
  readonly figure: FigureDialog;

  constructor(
    private readonly photoAt: (index: number) => GridPhoto | undefined,
    private readonly count: () => number,
    private readonly onClose: (index: number) => void,
    private readonly onError: (message: string) => void,
    private readonly onFacesChanged: () => void,
    private readonly onAddToPost: (photo: GridPhoto) => void,
  ) {
    this.faces = new FaceLayer(
      this.root.querySelector<HTMLElement>(".viewer-stage")!,
      this.image,
      onError,
      (legend, rows) => this.showLegend(legend, rows),
    );
    this.figure = new FigureDialog();
    byId("export-figure").addEventListener("click", () => this.exportFigure());
    byId("viewer-add-post").addEventListener("click", () => this.addToPost());
    byId("toggle-hidden").addEventListener("click", () => this.faces.toggleHidden());
    byId("toggle-numbers").addEventListener("click", () => this.faces.toggleNumbered());
    byId("rows-by-rule").addEventListener("click", () => this.faces.rowsByRule());
    byId("rows-left-to-right").addEventListener("click", () => this.faces.toggleLeftToRight());
    const list = byId("who-list");
    list.addEventListener("mouseover", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-face-id]");
      this.faces.highlight(li ? Number(li.dataset.faceId) : null);
    });
    list.addEventListener("mouseleave", () => this.faces.highlight(null));
    history.onChange(() => this.refreshFaces());
    byId("viewer-close").addEventListener("click", () => this.close());
    byId("viewer-prev").addEventListener("click", () => this.step(-1));
    byId("viewer-next").addEventListener("click", () => this.step(1));
    document.addEventListener("keydown", (e) => {
      // Keys typed in a dialog (the figure export) belong to it, Esc included.
      if (!this.isOpen || this.faces.isEditing || (e.target instanceof Element && e.target.closest("dialog"))) return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && (e.key.toLowerCase() === "z" || e.key.toLowerCase() === "y")) {
        const redo = e.shiftKey || e.key.toLowerCase() === "y";
        (redo ? history.redo() : history.undo()).catch((err: Error) => this.onError(err.message));
      } else if (e.key === "e" && !ctrl && !e.altKey) {
        this.exportFigure();
      } else if (e.key === "p" && !ctrl && !e.altKey) {
        this.addToPost();
      } else if (this.faces.handleKey(e)) e.preventDefault();
      else if (e.key === "Escape") this.close();
      else if (e.key === "ArrowRight") this.step(1);
      else if (e.key === "ArrowLeft") this.step(-1);
      else return;
      e.preventDefault();
    });
  }

  private exportFigure(): void {
    const photo = this.photoAt(this.index);
    if (this.isOpen && photo) this.figure.open(photo.id, photo.name).catch((e: Error) => this.onError(e.message));
  }

  private addToPost(): void {
    const photo = this.photoAt(this.index);
    if (this.isOpen && photo) this.onAddToPost(photo);
  }

  /** Re-reads the open photo's faces (after a face search found new ones). */
  refreshFaces(): void {
    const photo = this.photoAt(this.index);
    if (this.isOpen && photo) this.faces.show(photo.id).catch((e: Error) => this.onError(`Could not read faces: ${e.message}`));
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  open(index: number): void {
    if (!this.isOpen) this.returnFocus = document.activeElement as HTMLElement | null;
    this.root.hidden = false;
    this.show(index);
    byId("viewer-close").focus({ preventScroll: true });
  }

  close(): void {
    this.root.hidden = true;
    this.image.removeAttribute("src");
    this.preloaded.length = 0;
    this.root.removeAttribute("data-photo-id");
    this.faces.clear();
    this.onClose(this.index);
    this.returnFocus?.focus({ preventScroll: true });
  }

  private step(delta: number): void {
    const next = this.index + delta;
    if (next >= 0 && next < this.count()) this.show(next);
  }

  private show(index: number): void {
    const photo = this.photoAt(index);
    if (!photo) return;
    this.index = index;
    this.root.dataset.photoId = String(photo.id);
    this.root.dataset.loaded = "false";
    this.image.src = thumbnailUrl(photo.id, "preview");
    this.image.alt = photo.name;
    this.faces.show(photo.id).catch((e: Error) => this.onError(`Could not read faces: ${e.message}`));
    byId<HTMLButtonElement>("viewer-prev").disabled = index === 0;
    byId<HTMLButtonElement>("viewer-next").disabled = index >= this.count() - 1;
    api
      .photoDetails(photo.id)
      .then((details) => {
        // A fast arrow key may have moved on before this answer came back.
        if (this.index === index) this.fill(details);
      })
      .catch((e: Error) => this.onError(`Could not read photo details: ${e.message}`));
    this.readAhead(index);
  }

  /** The neighbours' previews and faces, read while this photo is looked at, so → and ← show
   *  the next one without waiting for the disk or the core. */
  private readAhead(index: number): void {
    this.preloaded = [index + 1, index - 1]
      .map((i) => this.photoAt(i))
      .filter((p): p is GridPhoto => p !== undefined)
      .map((p) => {
        this.faces.prefetch(p.id);
        const img = new Image();
        img.decoding = "async";
        img.src = thumbnailUrl(p.id, "preview");
        return img;
      });
  }

  /** The "who is who" list beside the photo: `1 Name (@login)` in reading order, each row under
   *  its name, with the buttons that move a face to the row above or below; and how the rows
   *  are read, with the way back to the rule's. */
  private showLegend(legend: WhoEntry[], rows: Rows): void {
    const list = byId("who-list");
    list.replaceChildren(
      ...legend.map((e, i) => {
        const li = document.createElement("li");
        li.dataset.faceId = String(e.face_id);
        const rowName = e.row ? rows.names[e.row - 1] : undefined;
        if (rowName && legend[i - 1]?.row !== e.row) {
          li.classList.add("row-start");
          li.dataset.rowName = rowName;
        }
        if (e.row) li.dataset.row = String(e.row);
        const n = document.createElement("span");
        n.className = "who-number";
        n.textContent = String(e.number);
        const who = document.createElement("span");
        who.className = "who-name";
        who.textContent = e.name ? `${e.name} (@${e.login})` : `@${e.login}`;
        li.append(n, who, this.rowButton(e.face_id, true), this.rowButton(e.face_id, false));
        return li;
      }),
    );
    byId("who-empty").hidden = legend.length > 0;
    const how = byId("rows-how");
    how.textContent =
      rows.by === "hand" ? "Rows fixed by hand." : rows.by === "left_to_right" ? "Read left to right, without rows." : rows.names.length ? "Rows as whoiswho reads them." : "Read left to right.";
    byId<HTMLButtonElement>("rows-by-rule").hidden = rows.by === "rule";
    byId<HTMLButtonElement>("rows-left-to-right").hidden = rows.by === "left_to_right" || (rows.by === "rule" && !rows.names.length);
    byId("toggle-numbers").setAttribute("aria-pressed", String(this.faces.isNumbered));
    byId("toggle-hidden").setAttribute("aria-pressed", String(this.faces.hiddenShown));
    this.onFacesChanged();
  }

  /** A button that moves a face to the row above or below; its arrow is drawn by the style
   *  sheet, so the entry's text stays the legend's. */
  private rowButton(faceId: number, up: boolean): HTMLButtonElement {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `ghost small row-move ${up ? "up" : "down"}`;
    const label = `Move to the row ${up ? "above" : "below"} (${up ? "Up" : "Down"} with numbers shown)`;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => this.faces.moveRow(faceId, up));
    return b;
  }

  private fill(d: PhotoDetails): void {
    const field = (name: string, text: string) => {
      const el = this.root.querySelector<HTMLElement>(`[data-field="${name}"]`);
      if (el) el.textContent = text;
    };
    field("file-name", d.file_name);
    field("taken", captureTime(d.taken_at));
    field("dimensions", `${d.width} × ${d.height} px`);
    field("size", fileSize(d.size));
    field("format", d.format);
    field("camera", d.camera ?? "Unknown");
    field("lens", d.lens ?? "Unknown");
    field("gps", d.has_gps ? "Present (kept private, never exported by default)" : "None");
    field("orientation", ORIENTATIONS[d.orientation] ?? String(d.orientation));
    field("path", d.path);
    byId("info-missing").hidden = !d.missing;
    const warning = byId("info-warning");
    warning.hidden = !d.metadata_warning;
    warning.textContent = d.metadata_warning ?? "";
    this.root.dataset.loaded = "true";
  }
}
