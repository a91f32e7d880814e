// Face boxes over the viewer's photo. Hover shows who it is; click opens the typeahead to tag;
// drag on the photo draws a box the detector missed; drag a box to move it, its corner to
// resize it; X "not a face", I "ignore", Delete removes; H shows hidden boxes; W numbers the
// tagged faces ("who is who") where the core places the numbers (the exported legend's rule),
// and there Up/Down move the face under the pointer to the row above or below, L reads the
// photo left to right (again: by the rule's rows). A suggested face shows `@login?`: Enter or A accepts, R rejects,
// Tab goes to the next suggested face. An attendee's answer from the event's issues (a claim)
// shows the same way, with a "self" badge when they name themselves: Enter or A accepts, R
// rejects. Every change is saved at once and recorded for undo.
import { api, type Face, type FaceChange, type FaceClaim, type FaceDecision, type Marker, type PhotoFaces, type Region, type RowsBy, type WhoEntry } from "../api";
import { askedLabel, askedText, claimText, fromAvatar, openClaim } from "./suggestionText";
import { acceptClaim, rejectClaim, saveDecision } from "./decisions";
import { traceStart } from "../trace";
import { Typeahead } from "./typeahead";
import { namedBy } from "../text";

/** How a photo's rows are read (the core's decision) and what each row is called, back to front. */
export type Rows = { by: RowsBy; names: string[] };

type Drag =
  | { kind: "draw"; x0: number; y0: number; ghost: HTMLElement }
  | { kind: "move" | "resize"; face: Face; el: HTMLElement; x0: number; y0: number; start: Region; moved: boolean };

/** Smallest box a drag makes, as a fraction of the photo's side: anything smaller is a click. */
const MIN_SIDE = 0.008;

function regionOf(f: Face): Region {
  return { x: f.x ?? 0, y: f.y ?? 0, w: f.w ?? 0, h: f.h ?? 0 };
}

/** The login suggested for a face nobody has named yet, if any. */
function suggestedLogin(face: Face): string | null {
  return !face.login && face.suggestion ? face.suggestion.login : null;
}

function clampRegion(r: Region): Region {
  const w = Math.min(Math.max(r.w ?? 0, MIN_SIDE), 1);
  const h = Math.min(Math.max(r.h ?? 0, MIN_SIDE), 1);
  const x = Math.min(Math.max(r.x ?? 0, 0), 1 - w);
  const y = Math.min(Math.max(r.y ?? 0, 0), 1 - h);
  return { x, y, w, h };
}

export class FaceLayer {
  private photoId = -1;
  private all: Face[] = [];
  private legend: WhoEntry[] = [];
  /** Where the numbers go, in pixels of the displayed photo (`size`), as the core placed them. */
  private markers: Marker[] = [];
  private size = { width: 1, height: 1 };
  private rowsBy: RowsBy = "rule";
  private rowNames: string[] = [];
  /** Neighbours' faces read ahead; any decision drops them (they may be stale). */
  private readonly ahead = new Map<number, Promise<PhotoFaces>>();
  /** Faces the core hides from the default view (ignored, not a face). */
  private hidden = new Set<number>();
  private readonly layer = document.createElement("div");
  private readonly typeahead: Typeahead;
  private pointed: Face | null = null;
  private drag: Drag | null = null;
  private showHidden = false;
  private numbered = false;
  /** The face whose box takes the keyboard focus after the next render (after a tag). */
  private refocus: number | null = null;
  /** The click that ends a drag is not a request to tag. */
  private suppressClick = false;

  constructor(
    private readonly stage: HTMLElement,
    private readonly image: HTMLImageElement,
    private readonly onError: (message: string) => void,
    private readonly onChanged: (legend: WhoEntry[], rows: Rows) => void,
  ) {
    this.layer.className = "face-layer";
    stage.appendChild(this.layer);
    this.typeahead = new Typeahead(stage);
    image.addEventListener("load", () => this.place());
    new ResizeObserver(() => this.place()).observe(stage);
    this.layer.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    this.layer.addEventListener("pointermove", (e) => this.onPointerMove(e));
    this.layer.addEventListener("pointerup", (e) => void this.onPointerUp(e));
    this.layer.addEventListener("pointercancel", () => this.cancelDrag());
  }

  get isEditing(): boolean {
    return this.typeahead.isOpen;
  }

  get hiddenShown(): boolean {
    return this.showHidden;
  }

  /** How the photo's rows are read now, and what each is called. */
  get rows(): Rows {
    return { by: this.rowsBy, names: this.rowNames };
  }

  get isNumbered(): boolean {
    return this.numbered;
  }

  async show(photoId: number): Promise<void> {
    if (photoId !== this.photoId) this.typeahead.close();
    this.photoId = photoId;
    const trace = traceStart("viewer: a photo's boxes");
    // A neighbour read ahead draws at once; the fresh read that follows corrects anything a
    // decision changed since.
    const early = this.ahead.get(photoId);
    this.ahead.delete(photoId);
    if (early) {
      const faces = await early.catch(() => null);
      if (faces && photoId === this.photoId) {
        trace.answered();
        this.apply(faces);
        trace.drawn();
        await this.reload();
        return;
      }
    }
    const faces = await api.photoFaces(photoId);
    if (photoId !== this.photoId) return;
    trace.answered();
    this.apply(faces);
    trace.drawn();
  }

  /** Reads a photo's faces ahead (the next and previous photo of the viewer). */
  prefetch(photoId: number): void {
    if (this.ahead.has(photoId) || photoId === this.photoId) return;
    this.ahead.set(photoId, api.photoFaces(photoId));
    while (this.ahead.size > 4) {
      const oldest = this.ahead.keys().next().value;
      if (oldest === undefined) break;
      this.ahead.delete(oldest);
    }
  }

  clear(): void {
    this.photoId = -1;
    this.all = [];
    this.legend = [];
    this.markers = [];
    this.typeahead.close();
    this.layer.replaceChildren();
  }

  /** Highlights a face (from the who-is-who list). */
  highlight(id: number | null): void {
    for (const el of this.layer.querySelectorAll<HTMLElement>(".face-box")) {
      el.classList.toggle("highlight", Number(el.dataset.faceId) === id);
    }
  }

  /** Keeps the layer exactly over the image as drawn (object-fit: contain letterboxes it). */
  private place(): void {
    const { naturalWidth: nw, naturalHeight: nh } = this.image;
    const box = this.image.getBoundingClientRect();
    const stage = this.stage.getBoundingClientRect();
    if (!nw || !nh || !box.width) return;
    const scale = Math.min(box.width / nw, box.height / nh);
    const w = nw * scale;
    const h = nh * scale;
    Object.assign(this.layer.style, {
      left: `${box.left - stage.left + (box.width - w) / 2}px`,
      top: `${box.top - stage.top + (box.height - h) / 2}px`,
      width: `${w}px`,
      height: `${h}px`,
    });
  }

  private visible(): Face[] {
    return this.showHidden ? this.all : this.all.filter((f) => !this.hidden.has(f.id));
  }

  private render(): void {
    this.place();
    const faces = this.visible();
    this.layer.dataset.faceCount = String(faces.length);
    this.layer.dataset.photoId = String(this.photoId);
    this.layer.classList.toggle("numbered", this.numbered);
    this.layer.dataset.rowsBy = this.rowsBy;
    const numbers = new Map(this.legend.map((e) => [e.face_id, e.row]));
    // A teammate's change redraws the boxes: the keyboard stays on the face it was on.
    const focused = document.activeElement;
    if (this.refocus === null && focused instanceof HTMLElement && this.layer.contains(focused) && focused.dataset.faceId) {
      this.refocus = Number(focused.dataset.faceId);
    }
    this.layer.replaceChildren(...faces.map((face) => this.box(face, numbers.get(face.id))));
    if (this.numbered) this.layer.append(...this.numberMarkers());
    if (this.refocus !== null) {
      // The keyboard stays on the face just edited, so the next key (Esc, X, →) still works.
      this.layer.querySelector<HTMLElement>(`.face-box[data-face-id="${this.refocus}"]`)?.focus({ preventScroll: true });
      this.refocus = null;
    }
  }

  /** The numbers where the core placed them (none covers a face or another), with a thin line
   *  to a face whose number had to sit away from it. Sized by the photo as shown. */
  private numberMarkers(): Element[] {
    const { width: w, height: h } = this.size;
    const shown = this.layer.getBoundingClientRect().width || 1;
    const markers: Element[] = this.markers.map((m) => {
      const r = m.r ?? 0;
      const el = document.createElement("span");
      el.className = "face-number";
      if (m.crowded) el.classList.add("crowded");
      el.dataset.faceId = String(m.face_id);
      el.textContent = String(m.number);
      Object.assign(el.style, {
        left: `${(((m.cx ?? 0) - r) / w) * 100}%`,
        top: `${(((m.cy ?? 0) - r) / h) * 100}%`,
        width: `${((2 * r) / w) * 100}%`,
        height: `${((2 * r) / h) * 100}%`,
        fontSize: `${Math.max(9, ((2 * r) / w) * shown * 0.55)}px`,
      });
      return el;
    });
    const leaders = this.markers.filter((m) => m.leader);
    if (leaders.length) {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.classList.add("face-leaders");
      svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
      svg.setAttribute("preserveAspectRatio", "none");
      for (const m of leaders) {
        const [x1, y1, x2, y2] = (m.leader ?? []).map((v) => v ?? 0);
        const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
        Object.entries({ x1, y1, x2, y2 }).forEach(([k, v]) => line.setAttribute(k, String(v)));
        line.setAttribute("vector-effect", "non-scaling-stroke");
        svg.appendChild(line);
      }
      markers.unshift(svg);
    }
    return markers;
  }

  private box(face: Face, row: number | null | undefined): HTMLElement {
    const el = document.createElement("button");
    el.type = "button";
    el.className = "face-box";
    if (face.login) el.classList.add("tagged");
    if (face.conflict && face.conflict.length > 1) el.classList.add("conflict");
    const claim = openClaim(face);
    const suggested = claim ? null : suggestedLogin(face);
    if (suggested) el.classList.add("suggested");
    if (claim) el.classList.add("claimed");
    if (claim && claim.by.toLowerCase() === claim.login.toLowerCase()) el.classList.add("self-claim");
    if (this.hidden.has(face.id)) el.classList.add("hidden-face");
    if (face.asked) {
      el.classList.add("private");
      el.dataset.asked = face.asked;
    }
    el.dataset.faceId = String(face.id);
    el.dataset.source = face.source;
    el.dataset.state = face.state;
    Object.assign(el.style, {
      left: `${(face.x ?? 0) * 100}%`,
      top: `${(face.y ?? 0) * 100}%`,
      width: `${(face.w ?? 0) * 100}%`,
      height: `${(face.h ?? 0) * 100}%`,
    });
    const hiddenNote = face.state === "ignored" ? " (ignored)" : face.state === "not_a_face" ? " (not a face)" : "";
    const by = namedBy(face);
    const conflict =
      face.conflict && face.conflict.length > 1
        ? ` · teammates disagree: ${face.conflict.map((c) => `@${c.login} by @${c.by}`).join(", ")}`
        : "";
    const accepted = face.claim && !claim ? ` · named by @${face.claim.by}${face.claim.by.toLowerCase() === face.claim.login.toLowerCase() ? " themselves" : ""}, issue #${face.claim.issue}` : "";
    const who = claim
      ? `${claimText(claim)}${face.login ? `, named @${face.login} now` : ""}: Enter or A accepts, R rejects`
      : face.login
      ? `@${face.login}${face.name ? ` · ${face.name}` : ""}${hiddenNote}${by ? ` · ${by}` : ""}${accepted}${conflict}`
      : suggested
        ? `@${suggested}?${fromAvatar(face)}${hiddenNote} (suggested: Enter or A accepts, R rejects, click to tag)`
        : `Untagged face${hiddenNote}: click to tag`;
    const asked = askedText(face);
    el.title = asked ? `${asked} · ${who}` : who;
    el.setAttribute("aria-label", el.title);
    const label = document.createElement("span");
    label.className = "face-label";
    label.textContent = claim
      ? `@${claim.login}?${claim.by.toLowerCase() === claim.login.toLowerCase() ? "" : ` · says @${claim.by}`} (#${claim.issue})${face.login ? " ⚠" : ""}${face.asked ? ` · ${askedLabel(face)}` : ""}`
      : asked
        ? askedLabel(face)
        : suggested
          ? `@${suggested}?${fromAvatar(face)}`
          : face.login
            ? `@${face.login}${face.name ? ` · ${face.name}` : ""}${hiddenNote}${conflict ? " ⚠" : ""}`
            : who;
    el.appendChild(label);
    if (row) el.dataset.row = String(row);
    const handle = document.createElement("span");
    handle.className = "resize-handle";
    handle.setAttribute("aria-hidden", "true");
    el.appendChild(handle);
    el.addEventListener("click", () => {
      if (!this.suppressClick) this.edit(face);
      this.suppressClick = false;
    });
    el.addEventListener("mouseenter", () => (this.pointed = face));
    el.addEventListener("focus", () => (this.pointed = face));
    el.addEventListener("mouseleave", () => (this.pointed = null));
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && claim) {
        e.preventDefault();
        this.decideClaim(face, claim, true);
      } else if (e.key === "Enter" && suggested) {
        e.preventDefault();
        this.accept(face);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        this.edit(face);
      }
    });
    return el;
  }

  // ---- pointer: draw, move, resize, click ----

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.layer.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height };
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || this.photoId < 0) return;
    const target = e.target as HTMLElement;
    const boxEl = target.closest<HTMLElement>(".face-box");
    const p = this.point(e);
    if (boxEl) {
      const face = this.all.find((f) => f.id === Number(boxEl.dataset.faceId));
      if (!face) return;
      const kind = target.classList.contains("resize-handle") ? "resize" : "move";
      this.drag = { kind, face, el: boxEl, x0: p.x, y0: p.y, start: regionOf(face), moved: false };
    } else {
      const ghost = document.createElement("div");
      ghost.className = "face-box drawing";
      this.drag = { kind: "draw", x0: p.x, y0: p.y, ghost };
    }
    this.layer.setPointerCapture(e.pointerId);
    // On the background, keep the browser from selecting; on a box, let it take focus.
    if (!boxEl) e.preventDefault();
  }

  private dragRegion(e: PointerEvent): Region | null {
    const d = this.drag;
    if (!d) return null;
    const p = this.point(e);
    if (d.kind === "draw") {
      return clampRegion({ x: Math.min(d.x0, p.x), y: Math.min(d.y0, p.y), w: Math.abs(p.x - d.x0), h: Math.abs(p.y - d.y0) });
    }
    const dx = p.x - d.x0;
    const dy = p.y - d.y0;
    if (d.kind === "move") return clampRegion({ x: (d.start.x ?? 0) + dx, y: (d.start.y ?? 0) + dy, w: d.start.w, h: d.start.h });
    return clampRegion({ x: d.start.x, y: d.start.y, w: (d.start.w ?? 0) + dx, h: (d.start.h ?? 0) + dy });
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    const r = this.dragRegion(e);
    if (!d || !r) return;
    const p = this.point(e);
    const rect = this.layer.getBoundingClientRect();
    const far = Math.hypot((p.x - d.x0) * rect.width, (p.y - d.y0) * rect.height) > 4;
    const el = d.kind === "draw" ? d.ghost : d.el;
    if (d.kind === "draw") {
      if (!far && !d.ghost.isConnected) return;
      if (!d.ghost.isConnected) this.layer.appendChild(d.ghost);
    } else {
      if (!far && !d.moved) return;
      d.moved = true;
    }
    Object.assign(el.style, {
      left: `${(r.x ?? 0) * 100}%`,
      top: `${(r.y ?? 0) * 100}%`,
      width: `${(r.w ?? 0) * 100}%`,
      height: `${(r.h ?? 0) * 100}%`,
    });
  }

  private cancelDrag(): void {
    if (this.drag?.kind === "draw") this.drag.ghost.remove();
    this.drag = null;
    this.render();
  }

  private async onPointerUp(e: PointerEvent): Promise<void> {
    const d = this.drag;
    const r = this.dragRegion(e);
    this.drag = null;
    if (!d || !r) return;
    if (d.kind === "draw") {
      const drawn = d.ghost.isConnected;
      d.ghost.remove();
      if (drawn) await this.addBox(r);
    } else if (!d.moved) {
      // A click: the box's own click handler opens the typeahead, after focus has settled.
    } else {
      this.suppressClick = true;
      setTimeout(() => (this.suppressClick = false), 0);
      await this.moveBox(d.face, r);
    }
  }

  // ---- edits: each decided by the core, saved and recorded for undo ----

  /** Saves a decision and redraws; a refused one says why and redraws what is saved. */
  private async decide(decision: FaceDecision, label: string): Promise<FaceChange | null> {
    const photoId = this.photoId;
    this.ahead.clear();
    try {
      const change = await saveDecision(photoId, decision, label);
      await this.reload();
      return change;
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
      await this.show(photoId).catch(() => undefined);
      return null;
    }
  }

  private async addBox(region: Region): Promise<void> {
    const change = await this.decide({ kind: "draw", region, login: null }, "draw a box");
    const fresh = change && this.all.find((f) => f.id === change.face_id);
    if (fresh) this.edit(fresh);
  }

  private async moveBox(face: Face, region: Region): Promise<void> {
    await this.decide({ kind: "move", face: face.id, region }, "move a box");
  }

  private accept(face: Face): void {
    this.refocus = face.id;
    void this.act({ kind: "accept", face: face.id }, `accept @${face.suggestion?.login ?? ""}`);
  }

  /** Accepts or rejects an attendee's answer about a face. */
  private decideClaim(face: Face, claim: FaceClaim, accept: boolean): void {
    this.refocus = face.id;
    this.ahead.clear();
    (accept ? acceptClaim(claim.issue) : rejectClaim(claim.issue))
      .then(() => this.reload())
      .catch((e: Error) => {
        this.onError(e.message);
        void this.reload().catch(() => undefined);
      });
  }

  /** Moves the keyboard to the next suggested face after the focused one (Tab), or the
   *  previous one (Shift+Tab). Returns whether there was one. */
  private nextSuggested(back: boolean): boolean {
    const boxes = [...this.layer.querySelectorAll<HTMLElement>(".face-box.suggested, .face-box.claimed")];
    if (!boxes.length) return false;
    const all = [...this.layer.querySelectorAll<HTMLElement>(".face-box")];
    const here = all.indexOf(document.activeElement as HTMLElement);
    const order = back ? [...boxes].reverse() : boxes;
    const next =
      order.find((b) => (back ? all.indexOf(b) < here : all.indexOf(b) > here)) ?? order[0];
    next.focus({ preventScroll: true });
    return true;
  }

  private async act(decision: FaceDecision, label: string): Promise<void> {
    if (decision.kind === "not_a_face" || decision.kind === "ignore" || decision.kind === "delete") this.pointed = null;
    await this.decide(decision, label);
  }

  /** Fetches the photo's faces again and redraws, unless another photo was opened meanwhile. */
  private async reload(): Promise<void> {
    const photoId = this.photoId;
    const faces = await api.photoFaces(photoId);
    if (photoId !== this.photoId) return;
    this.apply(faces);
  }

  private apply({ faces, legend, hidden, markers, width, height, rows_by, row_names }: PhotoFaces): void {
    this.all = faces;
    this.legend = legend;
    this.markers = markers;
    this.size = { width: width || 1, height: height || 1 };
    this.rowsBy = rows_by;
    this.rowNames = row_names;
    this.hidden = new Set(hidden);
    this.render();
    this.onChanged(legend, this.rows);
  }

  /** Moves a face to the row above or below (rows fixed by hand from then on; undoable). */
  moveRow(faceId: number, up: boolean): void {
    this.refocus = faceId;
    void this.act({ kind: "move_row", face: faceId, up }, `move a face to the row ${up ? "above" : "below"}`);
  }

  /** Reads the photo left to right, or, when it already is, by the rows of the rule again. */
  toggleLeftToRight(): void {
    if (this.rowsBy === "left_to_right") this.rowsByRule();
    else this.onAnyFace((face) => ({ kind: "left_to_right", face }), "read left to right");
  }

  /** Gives the photo back to the rows of the rule. */
  rowsByRule(): void {
    if (this.rowsBy !== "rule") this.onAnyFace((face) => ({ kind: "rows_by_rule", face }), "rows by the rule");
  }

  /** A decision about the whole photo, said of one of its visible faces. */
  private onAnyFace(decision: (face: number) => FaceDecision, label: string): void {
    const face = this.all.find((f) => !this.hidden.has(f.id));
    if (face) void this.act(decision(face.id), label);
  }

  private edit(face: Face): void {
    const el = this.layer.querySelector<HTMLElement>(`.face-box[data-face-id="${face.id}"]`);
    if (!el) return;
    const a = el.getBoundingClientRect();
    const stage = this.stage.getBoundingClientRect();
    this.typeahead.open({
      left: a.left - stage.left,
      top: a.bottom - stage.top + 6,
      text: face.login ?? "",
      photoId: this.photoId,
      faceId: face.id,
      onAccept: (login) => {
        this.refocus = face.id;
        void this.act({ kind: "tag", face: face.id, login }, `tag @${login}`);
      },
      onRemove: face.login
        ? () => {
            this.refocus = face.id;
            void this.act({ kind: "untag", face: face.id }, `untag @${face.login}`);
          }
        : undefined,
      onCancel: () => this.layer.querySelector<HTMLElement>(`.face-box[data-face-id="${face.id}"]`)?.focus({ preventScroll: true }),
      note: namedBy(face),
      conflict: face.conflict ?? undefined,
    });
  }

  /** Keys of the viewer that act on faces. Returns whether the key was used. */
  handleKey(e: KeyboardEvent): boolean {
    // A focused box handles its own Enter.
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return false;
    const key = e.key.toLowerCase();
    if (key === "h") this.toggleHidden();
    else if (key === "w") this.toggleNumbered();
    if (key === "h" || key === "w") return true;
    if (key === "tab") return this.nextSuggested(e.shiftKey);
    if (this.numbered && key === "l") {
      this.toggleLeftToRight();
      return true;
    }
    const face = this.pointed;
    if (!face) return false;
    if (this.numbered && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      this.moveRow(face.id, e.key === "ArrowUp");
      return true;
    }
    const claim = openClaim(face);
    const suggested = claim ? null : suggestedLogin(face);
    if (claim && (key === "a" || key === "enter")) this.decideClaim(face, claim, true);
    else if (claim && key === "r") this.decideClaim(face, claim, false);
    else if (suggested && (key === "a" || key === "enter")) this.accept(face);
    else if (suggested && key === "r") {
      this.refocus = face.id;
      void this.act({ kind: "reject", face: face.id }, `reject @${suggested}`);
    } else if (key === "x") void this.act({ kind: "not_a_face", face: face.id }, "mark not a face");
    else if (key === "i") void this.act({ kind: "ignore", face: face.id }, "ignore a face");
    else if (key === "delete" || key === "backspace") void this.act({ kind: "delete", face: face.id }, "remove a box");
    else return false;
    return true;
  }

  toggleHidden(): void {
    this.showHidden = !this.showHidden;
    this.render();
    this.onChanged(this.legend, this.rows);
  }

  toggleNumbered(): void {
    this.numbered = !this.numbered;
    this.render();
    this.onChanged(this.legend, this.rows);
  }
}
