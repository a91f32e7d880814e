// The Post view: the event and the recap post being written. Photos are added from the grid or
// the viewer (P), reordered by dragging (or Alt+↑/↓), and each gets its caption and alt text,
// prefilled as figures are, and the organizer's text after it; an introduction and a closing
// frame them. The preview is the index.md the export writes, composed by the core. Every edit
// is kept in the library a moment after the last keystroke. A file of the bundle edited by hand
// since the last export is replaced only when the organizer says so.
import {
  api,
  ApiError,
  thumbnailUrl,
  type ComposedPost,
  type EventRecord,
  type KeptPost,
  type PostFormat,
  type PostReport,
  type PostView,
} from "../api";
import { ask } from "../confirm";
import { byId } from "../dom";
import { plural } from "../text";

export { default as postTemplate } from "./post.html?raw";

const FORMAT_KEY = "whoiswho.postFormat";
const ALT_MAX = 150;

export class PostEditor {
  private post: KeptPost | null = null;
  private composed: ComposedPost | null = null;
  private saveTimer = 0;
  private generation = 0;
  private dragged: number | null = null;
  private readonly list = byId<HTMLOListElement>("post-photos");

  constructor(
    private readonly onError: (message: string) => void,
    private readonly onSaved: (message: string) => void,
  ) {
    const format = byId<HTMLSelectElement>("post-format");
    format.value = localStorage.getItem(FORMAT_KEY) === "markdown" ? "markdown" : "hugo";
    format.addEventListener("change", () => {
      localStorage.setItem(FORMAT_KEY, format.value);
      this.saveSoon(0);
    });
    for (const id of ["post-title", "post-date", "post-authors", "post-slug", "post-description", "post-intro", "post-closing"]) {
      byId(id).addEventListener("input", () => this.saveSoon());
    }
    for (const id of ["post-byline", "post-numbered"]) {
      byId(id).addEventListener("change", () => this.saveSoon(0));
    }
    for (const id of ["event-name", "event-start", "event-end", "event-place", "event-repo", "event-organizers"]) {
      byId(id).addEventListener("input", () => this.saveEventSoon());
    }
    byId("post-export").addEventListener("click", () => void this.pickAndExport());
    this.list.addEventListener("input", (e) => this.onFigureInput(e));
    this.list.addEventListener("click", (e) => this.onListClick(e));
    this.list.addEventListener("keydown", (e) => this.onListKey(e));
    this.list.addEventListener("dragstart", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-photo-id]");
      if (!li) return;
      this.dragged = Number(li.dataset.photoId);
      li.classList.add("dragging");
      e.dataTransfer?.setData("text/plain", li.dataset.photoId ?? "");
      if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
    });
    this.list.addEventListener("dragover", (e) => {
      if (this.dragged === null) return;
      e.preventDefault();
      const over = (e.target as HTMLElement).closest<HTMLElement>("li[data-photo-id]");
      for (const li of this.list.querySelectorAll(".drop-before")) li.classList.remove("drop-before");
      over?.classList.add("drop-before");
    });
    this.list.addEventListener("drop", (e) => {
      e.preventDefault();
      const over = (e.target as HTMLElement).closest<HTMLElement>("li[data-photo-id]");
      if (this.dragged !== null) this.moveBefore(this.dragged, over ? Number(over.dataset.photoId) : null);
    });
    this.list.addEventListener("dragend", () => {
      this.dragged = null;
      for (const li of this.list.querySelectorAll(".dragging, .drop-before")) li.classList.remove("dragging", "drop-before");
    });
  }

  private eventTimer = 0;

  private get format(): PostFormat {
    return byId<HTMLSelectElement>("post-format").value === "markdown" ? "markdown" : "hugo";
  }

  async load(): Promise<void> {
    this.showEvent(await api.getEvent());
    this.show(await api.getPost(this.format), true);
  }

  private showEvent(e: EventRecord): void {
    const fields: [string, string][] = [
      ["event-name", e.name],
      ["event-start", e.start],
      ["event-end", e.end],
      ["event-place", e.place],
      ["event-repo", e.repository ?? ""],
      ["event-organizers", e.organizers.join(", ")],
    ];
    for (const [id, value] of fields) {
      const el = byId<HTMLInputElement>(id);
      if (document.activeElement !== el) el.value = value;
    }
  }

  private saveEventSoon(): void {
    clearTimeout(this.eventTimer);
    this.eventTimer = window.setTimeout(() => void this.saveEvent(), 400);
  }

  /** Keeps the event as the fields say; the core checks it (days, repository). */
  private async saveEvent(): Promise<void> {
    clearTimeout(this.eventTimer);
    const value = (id: string) => byId<HTMLInputElement>(id).value;
    const problem = byId("event-problem");
    try {
      await api.saveEvent({
        name: value("event-name"),
        start: value("event-start"),
        end: value("event-end"),
        place: value("event-place"),
        repository: value("event-repo").trim() || null,
        organizers: value("event-organizers")
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      });
      problem.hidden = true;
      this.show(await api.getPost(this.format), false);
    } catch (e) {
      problem.hidden = false;
      problem.textContent = e instanceof Error ? e.message : String(e);
    }
  }

  /** Adds photos to the end of the post (from the grid or the viewer). */
  async add(photoIds: number[], name: string): Promise<void> {
    const view = await api.addToPost(photoIds, this.format);
    this.show(view, true);
    this.onSaved(`Added ${name} to the post (${plural(view.post.photos.length, "photo")})`);
  }

  /** Exports the post into `folder` (what the folder picker returned). Files edited by hand
   * since the last export are replaced only when the organizer says so in the dialog. */
  async exportTo(folder: string): Promise<void> {
    await this.saveNow();
    await this.saveEvent();
    const result = byId("post-result");
    result.textContent = "Exporting the post…";
    try {
      result.textContent = reportText(await api.exportPost(folder, this.format, false));
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "needs_confirmation")) {
        result.textContent = e instanceof Error ? e.message : String(e);
        return;
      }
      const answer = await ask(
        "Files of the post were edited",
        `${e.message}. To keep an edit, copy it into the post's texts here (the introduction, a figure's text, the closing) and export again, or export into another folder.`,
        [{ value: "replace", label: "Replace them (the edits are lost)" }],
      );
      if (answer !== "replace") {
        result.textContent = "Nothing was exported: the edited files are as you left them.";
        return;
      }
      result.textContent = "Exporting the post…";
      try {
        result.textContent = reportText(await api.exportPost(folder, this.format, true));
      } catch (again) {
        result.textContent = again instanceof Error ? again.message : String(again);
      }
    }
  }

  private async pickAndExport(): Promise<void> {
    const folder = await api.pickFolder("Export the post into (its page bundle folder)");
    if (folder) await this.exportTo(folder);
  }

  /** The post as the fields and the list now say. */
  private edited(): KeptPost | null {
    if (!this.post) return null;
    const value = (id: string) => byId<HTMLInputElement>(id).value;
    return {
      ...this.post,
      title: value("post-title"),
      date: value("post-date").trim(),
      slug: value("post-slug").trim(),
      description: value("post-description"),
      authors: value("post-authors")
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean),
      intro: byId<HTMLTextAreaElement>("post-intro").value,
      closing: byId<HTMLTextAreaElement>("post-closing").value,
      numbered: byId<HTMLInputElement>("post-numbered").checked,
      byline: byId<HTMLSelectElement>("post-byline").value === "body" ? "body" : "front_matter",
    };
  }

  private saveSoon(delay = 300): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => void this.saveNow(), delay);
  }

  private async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    const post = this.edited();
    if (!post) return;
    const generation = ++this.generation;
    try {
      const view = await api.savePost(post, this.format);
      if (generation === this.generation) this.show(view, false);
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  private show(view: PostView, rebuild: boolean): void {
    this.post = view.post;
    this.composed = view.composed;
    const c = view.composed;
    const fields: [string, string, string][] = [
      ["post-title", view.post.title, c.title],
      ["post-date", view.post.date, c.date],
      ["post-slug", view.post.slug, c.slug],
      ["post-description", view.post.description, c.description],
      ["post-authors", view.post.authors.join(", "), c.authors.join(", ") || "Your name, another organizer"],
      ["post-intro", view.post.intro ?? "", "On September 26, nearly 50 contributors gathered in Shanghai…"],
      ["post-closing", view.post.closing ?? "", "See you next year!"],
    ];
    for (const [id, value, placeholder] of fields) {
      const el = byId<HTMLInputElement | HTMLTextAreaElement>(id);
      if (document.activeElement !== el && rebuild) el.value = value;
      el.placeholder = placeholder;
    }
    if (rebuild) {
      byId<HTMLInputElement>("post-numbered").checked = view.post.numbered ?? true;
      byId<HTMLSelectElement>("post-byline").value = view.post.byline ?? "front_matter";
    }
    byId("post-markdown").textContent = c.markdown;
    const problem = byId("post-problem");
    problem.hidden = !c.problem || view.post.photos.length === 0;
    problem.textContent = c.problem ?? "";
    byId<HTMLButtonElement>("post-export").disabled = view.post.photos.length === 0;
    byId("post-empty").hidden = view.post.photos.length > 0;
    byId("post-count").textContent = view.post.photos.length ? String(view.post.photos.length) : "";
    this.showMissing(c);
    if (rebuild) this.buildList();
    else this.updateList();
  }

  private showMissing(c: ComposedPost): void {
    byId("post-missing-count").textContent = c.missing.length ? String(c.missing.length) : "";
    byId("post-missing-section").hidden = c.missing.length === 0;
    byId("post-missing").replaceChildren(
      ...c.missing.map((p) => {
        const li = document.createElement("li");
        li.textContent = p.name ? `${p.name} (@${p.login})` : `@${p.login}`;
        return li;
      }),
    );
  }

  private buildList(): void {
    const post = this.post;
    const figures = this.composed?.figures ?? [];
    if (!post) return;
    this.list.replaceChildren(
      ...post.photos.map((photo, i) => {
        const f = figures[i];
        const li = document.createElement("li");
        li.className = "post-photo";
        li.draggable = true;
        li.tabIndex = 0;
        li.dataset.photoId = String(photo.photo_id);
        li.setAttribute("aria-label", `Figure ${i + 1}`);
        const img = document.createElement("img");
        img.src = thumbnailUrl(photo.photo_id, "grid");
        img.alt = "";
        img.draggable = false;
        const body = document.createElement("div");
        body.className = "post-photo-body";
        const head = document.createElement("div");
        head.className = "post-photo-head";
        const number = document.createElement("strong");
        number.className = "post-number";
        number.textContent = post.numbered !== false ? `Figure ${i + 1}` : `Photo ${i + 1}`;
        const file = document.createElement("span");
        file.className = "muted post-file";
        file.textContent = f ? f.file + (f.legend_file ? ` + ${f.legend_file}` : "") : "";
        const spacer = document.createElement("div");
        spacer.className = "spacer";
        head.append(number, file, spacer, button("↑", "up", "Move up (Alt+↑)"), button("↓", "down", "Move down (Alt+↓)"), button("✕", "remove", "Remove from the post (Delete)"));
        const caption = area("caption", "Caption", photo.caption ?? f?.caption ?? "", 2);
        const alt = area("alt", "Alt text: what the photo is and how many people (the names go in the caption)", photo.alt ?? f?.alt ?? "", 2);
        const counter = document.createElement("span");
        counter.className = "alt-counter muted";
        const names = document.createElement("p");
        names.className = "post-names muted";
        const text = area("text", "Text after this figure (Markdown, up to the next figure)", photo.text ?? "", 3);
        body.append(head, caption, alt, counter, names, text);
        li.append(img, body);
        return li;
      }),
    );
    this.updateList();
  }

  /** Numbers, counters and the names by rows, without touching what is being typed. */
  private updateList(): void {
    const figures = this.composed?.figures ?? [];
    this.list.querySelectorAll<HTMLLIElement>("li[data-photo-id]").forEach((li, i) => {
      const f = figures[i];
      const alt = li.querySelector<HTMLTextAreaElement>("textarea[data-field=alt]");
      const counter = li.querySelector<HTMLElement>(".alt-counter");
      if (alt && counter) {
        const n = [...alt.value].length;
        counter.textContent = `${n}/${ALT_MAX}`;
        counter.classList.toggle("over", n > ALT_MAX);
      }
      const names = li.querySelector<HTMLElement>(".post-names");
      if (names && f) {
        names.textContent = f.names
          ? `Under the figure: ${f.names.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&lt;/g, "<").replace(/&amp;/g, "&").replace(/\\(.)/g, "$1")}`
          : f.faces
            ? `${plural(f.faces, "face")}, nobody named yet.`
            : "No faces.";
      }
    });
  }

  private onFigureInput(e: Event): void {
    const area = e.target as HTMLTextAreaElement;
    const li = area.closest<HTMLElement>("li[data-photo-id]");
    if (!li || !this.post) return;
    const id = Number(li.dataset.photoId);
    const field = area.dataset.field as "caption" | "alt" | "text";
    const value = field === "text" ? area.value : area.value.trim() ? area.value : null;
    this.post = {
      ...this.post,
      photos: this.post.photos.map((p) => (p.photo_id === id ? { ...p, [field]: value } : p)),
    };
    this.updateList();
    this.saveSoon();
  }

  private onListClick(e: MouseEvent): void {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
    const li = b?.closest<HTMLElement>("li[data-photo-id]");
    if (!b || !li) return;
    this.act(Number(li.dataset.photoId), b.dataset.action ?? "");
  }

  private onListKey(e: KeyboardEvent): void {
    const li = e.target as HTMLElement;
    if (!li.matches("li[data-photo-id]")) return;
    const id = Number(li.dataset.photoId);
    if (e.altKey && e.key === "ArrowUp") this.act(id, "up");
    else if (e.altKey && e.key === "ArrowDown") this.act(id, "down");
    else if (e.key === "Delete") this.act(id, "remove");
    else return;
    e.preventDefault();
  }

  private act(id: number, action: string): void {
    if (!this.post) return;
    const photos = [...this.post.photos];
    const i = photos.findIndex((p) => p.photo_id === id);
    if (i < 0) return;
    if (action === "remove") photos.splice(i, 1);
    else if (action === "up" && i > 0) photos.splice(i - 1, 0, ...photos.splice(i, 1));
    else if (action === "down" && i < photos.length - 1) photos.splice(i + 1, 0, ...photos.splice(i, 1));
    else return;
    this.reorder(photos, action === "remove" ? null : id);
  }

  private moveBefore(id: number, before: number | null): void {
    if (!this.post || id === before) return;
    const photos = this.post.photos.filter((p) => p.photo_id !== id);
    const moved = this.post.photos.find((p) => p.photo_id === id);
    if (!moved) return;
    const at = before === null ? photos.length : photos.findIndex((p) => p.photo_id === before);
    photos.splice(at < 0 ? photos.length : at, 0, moved);
    this.reorder(photos, id);
  }

  private reorder(photos: KeptPost["photos"], focus: number | null): void {
    if (!this.post) return;
    this.post = { ...this.post, photos };
    const post = this.edited();
    if (!post) return;
    const generation = ++this.generation;
    api
      .savePost(post, this.format)
      .then((view) => {
        if (generation !== this.generation) return;
        this.show(view, true);
        if (focus !== null) this.list.querySelector<HTMLElement>(`li[data-photo-id="${focus}"]`)?.focus();
      })
      .catch((e: Error) => this.onError(e.message));
  }
}

/** What an export did, in one line for the view. */
function reportText(r: PostReport): string {
  const list = (files: string[]) => files.join(", ");
  return (
    `Post in ${r.dir}: ${plural(r.figures, "figure")}, ${plural(r.named, "person", "people")} named` +
    (r.blurred ? `, ${plural(r.blurred, "head")} blurred (no-publish)` : "") +
    `; ${plural(r.written, "file")} written, ${r.unchanged} unchanged.` +
    (r.remade.length ? ` Made again (damaged or missing): ${list(r.remade)}.` : "") +
    (r.replaced.length ? ` Replaced your edits of ${list(r.replaced)}.` : "") +
    (r.left_edited.length ? ` No longer in the post but edited, left in place: ${list(r.left_edited)}.` : "") +
    (r.manifest_problem ? ` ${r.manifest_problem}: every file was written anew.` : "")
  );
}

function button(label: string, action: string, title: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "ghost small";
  b.textContent = label;
  b.title = title;
  b.setAttribute("aria-label", title);
  b.dataset.action = action;
  return b;
}

function area(field: string, label: string, value: string, rows: number): HTMLLabelElement {
  const l = document.createElement("label");
  l.className = "post-field";
  const span = document.createElement("span");
  span.textContent = label;
  const t = document.createElement("textarea");
  t.rows = rows;
  t.value = value;
  t.dataset.field = field;
  l.append(span, t);
  return l;
}
