// Triage: a grid of untagged face crops, largest first, worked through with the keyboard.
// Type to tag the selected face (Enter accepts), X not a face, I ignore, arrows move, Shift+Enter
// opens the photo. A face with a suggestion shows `@login?`: Enter or A accepts it, R rejects it. A decided face stays where it is, marked with its outcome, and the selection
// moves on: the screen changes in two tiles, not a reflow of the grid, so a key lands on screen
// in a frame or two. The save follows; a refused save says why and reloads the queue.
import { api, faceCropUrl, type FaceDecision, type FaceOnPhoto, type FaceState } from "../api";
import { history } from "../history";
import { plural } from "../text";
import { acceptClaim, rejectClaim, saveDecision } from "./decisions";
import { traceStart } from "../trace";
import { askedText, claimText, fromAvatar, openClaim } from "./suggestionText";
import { Typeahead } from "./typeahead";

export { default as triageTemplate } from "./triage.html?raw";

/** How many faces are in the grid at once (a screenful or two); more are fetched as these are
 *  done. */
const PAGE = 96;
const REFILL_BELOW = 48;

export class TriageView {
  private items: FaceOnPhoto[] = [];
  /** Outcome shown on each decided tile, by face id. */
  private readonly decided = new Map<number, string>();
  private total = 0;
  private selected = 0;
  private readonly typeahead: Typeahead;
  private loading: Promise<void> | null = null;
  /** Faces decided on screen whose save has not come back yet: a reload must not bring them back. */
  private readonly pending = new Set<number>();

  constructor(
    private readonly root: HTMLElement,
    private readonly grid: HTMLElement,
    private readonly onError: (message: string) => void,
    private readonly onOpenPhoto: (photoId: number) => void,
    private readonly onCount: (total: number) => void,
  ) {
    this.typeahead = new Typeahead(root);
    grid.addEventListener("click", (e) => {
      const i = this.indexOf(e.target as HTMLElement);
      if (i >= 0) this.select(i, true);
    });
    grid.addEventListener("dblclick", (e) => {
      const item = this.items[this.indexOf(e.target as HTMLElement)];
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

  /** Fetches the head of the queue and redraws (decided faces leave). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const queue = await api.untaggedFaces(PAGE);
        const keep = this.items[this.selected]?.face.id;
        this.items = queue.faces.filter((f) => !this.pending.has(f.face.id));
        this.decided.clear();
        this.total = Number(queue.total);
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

  /** Appends the next faces of the queue after the ones on screen, leaving those (and the
   *  keyboard focus) alone. */
  private async refill(): Promise<void> {
    try {
      const queue = await api.untaggedFaces(PAGE + this.decided.size);
      const have = new Set(this.items.map((i) => i.face.id));
      const extra = queue.faces.filter((f) => !have.has(f.face.id) && !this.pending.has(f.face.id));
      for (const item of extra) {
        this.items.push(item);
        this.grid.appendChild(this.buildTile(item));
      }
      this.total = Math.max(this.open(), Number(queue.total) - this.pending.size);
      this.updateCounts();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  focus(): void {
    this.tile(this.selected)?.focus({ preventScroll: false });
  }

  private open(): number {
    return this.items.length - this.decided.size;
  }

  private indexOf(el: HTMLElement): number {
    const tile = el.closest<HTMLElement>(".face-tile");
    const id = Number(tile?.dataset.faceId);
    return tile ? this.items.findIndex((f) => f.face.id === id) : -1;
  }

  private tile(index: number): HTMLElement | null {
    const item = this.items[index];
    return item ? this.grid.querySelector<HTMLElement>(`.face-tile[data-face-id="${item.face.id}"]`) : null;
  }

  private render(): void {
    // A reload (after undo, say) must not drop the keyboard out of the grid.
    const active = document.activeElement;
    const hadFocus = this.grid.contains(active) || active === document.body || active === null;
    // Tiles of faces still in the queue, and shown the same way, are kept as they are (with
    // their decoded crops): a reload after an undo moves one face back, not ninety-six.
    const kept = new Map<string, HTMLElement>();
    for (const el of this.grid.querySelectorAll<HTMLElement>(".face-tile")) {
      if (el.dataset.sig) kept.set(el.dataset.sig, el);
    }
    this.grid.replaceChildren(
      ...this.items.map((item) => {
        const old = kept.get(signature(item));
        if (!old) return this.buildTile(item);
        old.classList.remove("done");
        delete old.dataset.outcome;
        old.querySelector(".outcome")!.textContent = "";
        old.setAttribute("aria-selected", "false");
        old.tabIndex = -1;
        return old;
      }),
    );
    this.tile(this.selected)?.setAttribute("aria-selected", "true");
    const t = this.tile(this.selected);
    if (t) t.tabIndex = 0;
    this.updateCounts();
    if (hadFocus && !this.root.hidden) t?.focus({ preventScroll: true });
  }

  private buildTile(item: FaceOnPhoto): HTMLElement {
    const tile = document.createElement("button");
    tile.type = "button";
    tile.className = "face-tile";
    tile.setAttribute("role", "option");
    tile.setAttribute("aria-selected", "false");
    tile.tabIndex = -1;
    tile.dataset.faceId = String(item.face.id);
    tile.dataset.photoId = String(item.photo_id);
    tile.dataset.sig = signature(item);
    const px = Math.round((item.face.w ?? 0) * item.photo_width);
    tile.title = `Face on photo ${item.photo_id}, ${px} px wide`;
    tile.setAttribute("aria-label", tile.title);
    const img = document.createElement("img");
    img.loading = "lazy";
    img.decoding = "async";
    img.alt = "";
    img.src = faceCropUrl(item.face);
    const outcome = document.createElement("span");
    outcome.className = "outcome";
    tile.append(img, outcome);
    const asked = askedText(item.face);
    if (asked) {
      tile.classList.add("private");
      tile.title = `${asked}; ${tile.title}`;
      tile.setAttribute("aria-label", tile.title);
    }
    const claim = openClaim(item.face);
    const suggestion = claim ? null : item.face.suggestion;
    if (claim) {
      const self = claim.by.toLowerCase() === claim.login.toLowerCase();
      tile.classList.add("claimed");
      if (self) tile.classList.add("self-claim");
      tile.dataset.claim = String(claim.issue);
      const hint = document.createElement("span");
      hint.className = "suggestion";
      hint.textContent = `@${claim.login}?${self ? "" : ` · says @${claim.by}`} (#${claim.issue})`;
      tile.appendChild(hint);
      tile.title = `${tile.title}; ${claimText(claim)}: Enter or A accepts, R rejects`;
      tile.setAttribute("aria-label", tile.title);
    } else if (suggestion) {
      tile.classList.add("suggested");
      tile.dataset.suggestion = suggestion.login;
      const hint = document.createElement("span");
      hint.className = "suggestion";
      hint.textContent = `@${suggestion.login}?${fromAvatar(item.face)}`;
      tile.appendChild(hint);
      tile.title = `${tile.title}; suggested @${suggestion.login}${fromAvatar(item.face)}: Enter or A accepts, R rejects`;
      tile.setAttribute("aria-label", tile.title);
    }
    return tile;
  }

  private updateCounts(): void {
    const open = this.open();
    this.grid.dataset.count = String(open);
    this.root.querySelector<HTMLElement>("#triage-empty")!.hidden = this.items.length > 0;
    this.root.querySelector<HTMLElement>("#triage-total")!.textContent = this.total
      ? `· ${plural(this.total, "face")} to go`
      : "";
    this.onCount(this.total);
  }

  private select(index: number, focus: boolean): void {
    if (!this.items.length) return;
    const before = this.tile(this.selected);
    this.selected = Math.max(0, Math.min(this.items.length - 1, index));
    const after = this.tile(this.selected);
    if (before && before !== after) {
      before.setAttribute("aria-selected", "false");
      before.tabIndex = -1;
    }
    if (!after) return;
    after.setAttribute("aria-selected", "true");
    after.tabIndex = 0;
    if (focus) {
      after.focus({ preventScroll: true });
      after.scrollIntoView({ block: "nearest" });
    }
  }

  /** The next face after `index` nobody has decided yet, else `index` itself. */
  private nextOpen(index: number): number {
    for (let i = index + 1; i < this.items.length; i++) {
      if (!this.decided.has(this.items[i].face.id)) return i;
    }
    return index;
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
      this.decide(item, { kind: "not_a_face", face: item.face.id }, "not_a_face", "not a face", e.timeStamp);
    } else if (e.key === "i" || e.key === "I") {
      e.preventDefault();
      this.decide(item, { kind: "ignore", face: item.face.id }, "ignored", "ignored", e.timeStamp);
    } else if (openClaim(item.face) && !e.shiftKey && (e.key === "Enter" || e.key === "a" || e.key === "A" || e.key === "r" || e.key === "R")) {
      e.preventDefault();
      const claim = openClaim(item.face)!;
      const accept = e.key !== "r" && e.key !== "R";
      const save = () => (accept ? acceptClaim(claim.issue) : rejectClaim(claim.issue));
      if (accept) this.decide(item, null, "confirmed", `@${claim.login}`, e.timeStamp, save);
      else this.decide(item, null, "unreviewed", `not @${claim.login}`, e.timeStamp, save);
    } else if (item.face.suggestion && !e.shiftKey && (e.key === "Enter" || e.key === "a" || e.key === "A")) {
      e.preventDefault();
      const login = item.face.suggestion.login;
      this.decide(item, { kind: "accept", face: item.face.id }, "confirmed", `@${login}`, e.timeStamp);
    } else if (item.face.suggestion && (e.key === "r" || e.key === "R")) {
      e.preventDefault();
      const login = item.face.suggestion.login;
      this.decide(item, { kind: "reject", face: item.face.id }, "unreviewed", `not @${login}`, e.timeStamp);
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
      photoId: item.photo_id,
      faceId: item.face.id,
      onAccept: (login, at) => this.decide(item, { kind: "tag", face: item.face.id, login }, "confirmed", `@${login}`, at),
      onCancel: () => this.focus(),
    });
  }

  /** Marks the face decided and moves on, then saves. `started` is the time stamp of the key
   *  event, so the measure starts when the key went down. */
  private decide(
    item: FaceOnPhoto,
    decision: FaceDecision | null,
    state: FaceState,
    outcome: string,
    started: number,
    // An attendee's answer is accepted or rejected through its own command, not a face decision.
    claimSave?: () => Promise<unknown>,
  ): void {
    // The queue may have been reloaded (an undo, a refill) while the typeahead was open: find
    // the face again by id, and save the decision even if it left the queue.
    const label = !decision
      ? outcome
      : decision.kind === "tag"
        ? `tag @${decision.login}`
        : decision.kind === "accept" || decision.kind === "reject"
          ? `${decision.kind} ${outcome}`
          : `mark ${outcome}`;
    const save = (): Promise<unknown> =>
      claimSave ? claimSave() : decision ? saveDecision(item.photo_id, decision, label) : Promise.resolve();
    const index = this.items.findIndex((i) => i.face.id === item.face.id);
    if (index < 0) {
      save().catch((e: Error) => this.onError(e.message));
      this.focus();
      return;
    }
    const id = item.face.id;
    if (!this.decided.has(id)) this.total = Math.max(0, this.total - 1);
    this.decided.set(id, outcome);
    const tile = this.tile(index);
    if (tile) {
      tile.classList.add("done");
      tile.dataset.outcome = state;
      tile.querySelector(".outcome")!.textContent = outcome;
    }
    const trace = traceStart("triage: key", started);
    trace.answered();
    this.select(this.nextOpen(index), true);
    this.updateCounts();
    trace.drawn();
    this.pending.add(id);
    save()
      .then(() => {
        this.pending.delete(id);
        if (this.open() < REFILL_BELOW && this.total > this.open()) void this.refill();
      })
      .catch((e: Error) => {
        this.pending.delete(id);
        this.onError(e.message);
        void this.load();
      });
  }
}

/** What a tile shows of its face: a tile with the same can be kept across a reload. */
function signature(item: FaceOnPhoto): string {
  const f = item.face;
  return [f.id, f.x, f.y, f.w, f.h, f.suggestion?.login ?? "", f.suggestion?.from ?? "", f.claim?.issue ?? "", f.claim?.login ?? "", f.asked ?? ""].join("|");
}
