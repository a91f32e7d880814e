// Face boxes over the viewer's photo: hover shows who it is, click opens a typeahead over the
// roster to put a GitHub login on the face (Enter to accept, Esc to close).
import { api, type Face, type FaceState, type Person } from "./api";

/** Who a face is and what was decided about it: what an undo step restores. */
type FaceValue = { login: string | null; state: FaceState };
type Step = { photoId: number; faceId: number; before: FaceValue; after: FaceValue };

export class FaceLayer {
  private photoId = -1;
  private faces: Face[] = [];
  private people: Person[] = [];
  private readonly layer = document.createElement("div");
  private readonly popover = document.createElement("form");
  private readonly input = document.createElement("input");
  private readonly list = document.createElement("ul");
  private editing: Face | null = null;
  private highlighted = 0;
  private choices: Person[] = [];
  private pointed: Face | null = null;
  // Session-wide, across photos: Ctrl+Z undoes the last tagging step wherever it was.
  private readonly done: Step[] = [];
  private readonly undone: Step[] = [];

  constructor(
    private readonly stage: HTMLElement,
    private readonly image: HTMLImageElement,
    private readonly onError: (message: string) => void,
    private readonly onTagged: () => void,
  ) {
    this.layer.className = "face-layer";
    stage.appendChild(this.layer);
    this.popover.className = "tag-popover";
    this.popover.hidden = true;
    this.input.type = "text";
    this.input.placeholder = "GitHub login or name";
    this.input.setAttribute("aria-label", "GitHub login or name");
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.list.className = "tag-choices";
    this.list.setAttribute("role", "listbox");
    this.popover.append(this.input, this.list);
    stage.appendChild(this.popover);
    image.addEventListener("load", () => this.place());
    new ResizeObserver(() => this.place()).observe(stage);
    this.input.addEventListener("input", () => {
      this.highlighted = 0;
      this.renderChoices();
    });
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.popover.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.accept();
    });
    this.list.addEventListener("mousedown", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-login]");
      if (!li) return;
      e.preventDefault();
      this.input.value = li.dataset.login ?? "";
      void this.accept();
    });
  }

  get isEditing(): boolean {
    return !this.popover.hidden;
  }

  async show(photoId: number): Promise<void> {
    this.photoId = photoId;
    this.close();
    this.layer.replaceChildren();
    const [faces, people] = await Promise.all([api.photoFaces(photoId), api.listPeople()]);
    if (photoId !== this.photoId) return;
    this.faces = faces.filter((f) => f.state !== "ignored" && f.state !== "not_a_face");
    this.people = people;
    this.render();
  }

  clear(): void {
    this.photoId = -1;
    this.faces = [];
    this.close();
    this.layer.replaceChildren();
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

  private render(): void {
    this.place();
    this.layer.dataset.faceCount = String(this.faces.length);
    this.layer.replaceChildren(
      ...this.faces.map((face) => {
        const el = document.createElement("button");
        el.type = "button";
        el.className = face.login ? "face-box tagged" : "face-box";
        el.dataset.faceId = String(face.id);
        Object.assign(el.style, {
          left: `${(face.x ?? 0) * 100}%`,
          top: `${(face.y ?? 0) * 100}%`,
          width: `${(face.w ?? 0) * 100}%`,
          height: `${(face.h ?? 0) * 100}%`,
        });
        const who = face.login ? `@${face.login}${face.name ? ` · ${face.name}` : ""}` : "Untagged face: click to tag";
        el.title = who;
        el.setAttribute("aria-label", who);
        if (face.login) {
          const label = document.createElement("span");
          label.className = "face-label";
          label.textContent = who;
          el.appendChild(label);
        }
        el.addEventListener("click", () => this.edit(face, el));
        el.addEventListener("mouseenter", () => (this.pointed = face));
        el.addEventListener("focus", () => (this.pointed = face));
        el.addEventListener("mouseleave", () => (this.pointed = null));
        return el;
      }),
    );
  }

  private edit(face: Face, anchor: HTMLElement): void {
    this.editing = face;
    const a = anchor.getBoundingClientRect();
    const stage = this.stage.getBoundingClientRect();
    this.popover.style.left = `${Math.min(a.left - stage.left, stage.width - 280)}px`;
    this.popover.style.top = `${a.bottom - stage.top + 6}px`;
    this.popover.hidden = false;
    this.input.value = face.login ?? "";
    this.highlighted = 0;
    this.renderChoices();
    this.input.focus();
    this.input.select();
  }

  private close(): void {
    this.popover.hidden = true;
    this.editing = null;
  }

  /** Best matches first; people who asked not to be tagged are never offered; people already
   *  on this photo go to the end. */
  private rank(query: string): Person[] {
    const q = query.trim().replace(/^@/, "").toLowerCase();
    const here = new Set(this.faces.filter((f) => f.login && f.id !== this.editing?.id).map((f) => f.login!.toLowerCase()));
    const scored: [number, Person][] = [];
    for (const p of this.people) {
      if (p.consent === "no-tag") continue;
      const login = p.login.toLowerCase();
      const name = (p.name ?? "").toLowerCase();
      let score: number;
      if (!q) score = 4;
      else if (login.startsWith(q)) score = 0;
      else if (name.split(/\s+/).some((w) => w.startsWith(q))) score = 1;
      else if (login.includes(q)) score = 2;
      else if (name.includes(q)) score = 3;
      else continue;
      if (here.has(login)) score += 10;
      scored.push([score, p]);
    }
    scored.sort((a, b) => a[0] - b[0] || b[1].faces - a[1].faces || a[1].login.localeCompare(b[1].login));
    return scored.slice(0, 8).map(([, p]) => p);
  }

  private renderChoices(): void {
    this.choices = this.rank(this.input.value);
    this.list.replaceChildren(
      ...this.choices.map((p, i) => {
        const li = document.createElement("li");
        li.dataset.login = p.login;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === this.highlighted));
        const login = document.createElement("strong");
        login.textContent = `@${p.login}`;
        const name = document.createElement("span");
        name.textContent = p.name ?? "";
        li.append(login, " ", name);
        return li;
      }),
    );
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      e.stopPropagation();
      const n = this.choices.length;
      if (n) this.highlighted = (this.highlighted + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.renderChoices();
    } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.stopPropagation(); // move the caret, not the viewer
    }
  }

  private async accept(): Promise<void> {
    const face = this.editing;
    if (!face) return;
    const typed = this.input.value.trim();
    const picked = this.choices[this.highlighted];
    // A highlighted suggestion wins unless the text typed is a login of its own.
    const login = picked && !this.people.some((p) => p.login.toLowerCase() === typed.replace(/^@/, "").toLowerCase()) ? picked.login : typed;
    if (!login) return;
    try {
      const updated = await api.tagFace(this.photoId, face.id, login);
      this.record(face, updated);
      if (!this.people.some((p) => p.login.toLowerCase() === updated.login?.toLowerCase())) {
        this.people = await api.listPeople();
      }
      this.close();
      this.apply(updated);
      this.onTagged();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  /** Keys of the viewer that act on faces: Ctrl+Z, Ctrl+Shift+Z (or Ctrl+Y), and X ("not a
   *  face") or I ("ignore") on the face under the pointer. Returns whether the key was used. */
  handleKey(e: KeyboardEvent): boolean {
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (ctrl && key === "z") {
      void (e.shiftKey ? this.redo() : this.undo());
      return true;
    }
    if (ctrl && key === "y") {
      void this.redo();
      return true;
    }
    if (!ctrl && !e.altKey && this.pointed && (key === "x" || key === "i")) {
      void this.mark(this.pointed, key === "x" ? "not_a_face" : "ignored");
      return true;
    }
    return false;
  }

  private async mark(face: Face, state: FaceState): Promise<void> {
    try {
      const updated = await api.setFace(this.photoId, face.id, null, state);
      this.record(face, updated);
      this.pointed = null;
      this.apply(updated);
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  private record(before: Face, after: Face): void {
    this.done.push({
      photoId: this.photoId,
      faceId: before.id,
      before: { login: before.login, state: before.state },
      after: { login: after.login, state: after.state },
    });
    this.undone.length = 0;
  }

  private async undo(): Promise<void> {
    const step = this.done.pop();
    if (step) await this.restore(step, step.before, this.undone);
  }

  private async redo(): Promise<void> {
    const step = this.undone.pop();
    if (step) await this.restore(step, step.after, this.done);
  }

  private async restore(step: Step, value: FaceValue, other: Step[]): Promise<void> {
    try {
      const updated = await api.setFace(step.photoId, step.faceId, value.login, value.state);
      other.push(step);
      if (step.photoId === this.photoId) {
        // A face hidden by "not a face" or "ignore" comes back: re-read the photo's faces.
        if (!this.faces.some((f) => f.id === updated.id)) await this.show(this.photoId);
        else this.apply(updated);
      }
      this.onTagged();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  /** Shows a face's new value; faces marked "not a face" or "ignore" leave the layer. */
  private apply(updated: Face): void {
    const hidden = updated.state === "ignored" || updated.state === "not_a_face";
    this.faces = hidden
      ? this.faces.filter((f) => f.id !== updated.id)
      : this.faces.map((f) => (f.id === updated.id ? updated : f));
    this.render();
  }
}
