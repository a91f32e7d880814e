// The tagging typeahead: a small popover with an input and the best matches for what is typed.
// Who is offered, and in which order, is the core's answer (`offer_people`: no-tag attendees
// never, people already on the photo last); this only shows it. Enter accepts the highlighted
// attendee (or a login typed in full), Esc closes, arrows move.
import { api, avatarImage, type Offer, type Person } from "../api";
import { traceStart } from "../trace";

export class Typeahead {
  readonly element = document.createElement("form");
  private readonly input = document.createElement("input");
  private readonly list = document.createElement("ul");
  private readonly remove = document.createElement("button");
  /** Who named the face, and the names teammates gave it without seeing each other's. */
  private readonly header = document.createElement("div");
  private onRemove: (() => void) | null = null;
  /** The face being tagged: the core ranks for it. */
  private photoId = -1;
  private faceId: number | null = null;
  /** The last answer, and the text it answers. */
  private offer: Offer | null = null;
  private offeredFor: string | null = null;
  /** Only the latest request may draw: answers can overtake each other. */
  private asked = 0;
  private accepting = false;
  private highlighted = 0;
  /** Called with the login and the time stamp of the event that accepted it. */
  private onAccept: ((login: string, at: number) => void) | null = null;
  private onCancel: (() => void) | null = null;

  constructor(parent: HTMLElement) {
    this.element.className = "tag-popover";
    this.element.hidden = true;
    this.input.type = "text";
    this.input.placeholder = "GitHub login or name";
    this.input.setAttribute("aria-label", "GitHub login or name");
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.list.className = "tag-choices";
    this.list.setAttribute("role", "listbox");
    this.remove.type = "button";
    this.remove.className = "ghost small remove-tag";
    this.remove.title = "Take the login off this face (Shift+Delete)";
    this.remove.addEventListener("mousedown", (e) => e.preventDefault());
    this.remove.addEventListener("click", () => this.removeTag());
    this.header.className = "tag-header";
    this.header.addEventListener("mousedown", (e) => {
      const pick = (e.target as HTMLElement).closest<HTMLElement>("button[data-login]");
      if (!pick) return;
      e.preventDefault();
      this.input.value = pick.dataset.login ?? "";
      this.highlighted = -1;
      void this.accept(e.timeStamp);
    });
    this.element.append(this.header, this.input, this.list, this.remove);
    parent.appendChild(this.element);
    this.input.addEventListener("input", () => {
      this.highlighted = 0;
      this.render();
    });
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.element.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.accept(e.timeStamp);
    });
    this.list.addEventListener("mousedown", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-login]");
      if (!li) return;
      e.preventDefault();
      this.input.value = li.dataset.login ?? "";
      this.highlighted = -1;
      void this.accept(e.timeStamp);
    });
    this.input.addEventListener("blur", () => {
      // Clicking elsewhere closes it, as a menu would.
      setTimeout(() => {
        if (!this.element.hidden && document.activeElement !== this.input) this.cancel();
      }, 0);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Opens at (left, top) in the parent's coordinates, for a face of a photo (`faceId` null: a
   *  box being drawn), starting from `text`. */
  open(opts: {
    left: number;
    top: number;
    text: string;
    photoId: number;
    faceId: number | null;
    onAccept: (login: string, at: number) => void;
    onCancel?: () => void;
    /** Offered when the face has a login: takes it off. */
    onRemove?: () => void;
    /** "named by @pacoxu · 2 min ago", in a team. */
    note?: string;
    /** Names teammates gave the face without seeing each other's: one click picks. */
    conflict?: { login: string; by: string }[];
  }): void {
    this.showHeader(opts.note ?? "", opts.conflict ?? []);
    this.onRemove = opts.onRemove ?? null;
    this.remove.hidden = !opts.onRemove;
    this.remove.textContent = opts.text ? `Remove @${opts.text}` : "Remove tag";
    this.photoId = opts.photoId;
    this.faceId = opts.faceId;
    this.offer = null;
    this.offeredFor = null;
    this.accepting = false;
    this.onAccept = opts.onAccept;
    this.onCancel = opts.onCancel ?? null;
    const parent = this.element.parentElement!.getBoundingClientRect();
    this.element.style.left = `${Math.max(0, Math.min(opts.left, parent.width - 280))}px`;
    this.element.style.top = `${Math.max(0, Math.min(opts.top, parent.height - 300))}px`;
    this.element.hidden = false;
    this.input.value = opts.text;
    this.highlighted = 0;
    this.list.replaceChildren();
    this.render();
    this.input.focus();
    if (opts.text.length > 1) this.input.select();
  }

  private showHeader(note: string, conflict: { login: string; by: string }[]): void {
    const parts: HTMLElement[] = [];
    if (conflict.length > 1) {
      const title = document.createElement("p");
      title.className = "conflict-title";
      title.textContent = "Named differently by teammates: pick one";
      parts.push(title);
      for (const c of conflict) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "ghost small conflict-pick";
        b.dataset.login = c.login;
        b.textContent = `@${c.login}, by @${c.by}`;
        parts.push(b);
      }
    } else if (note) {
      const p = document.createElement("p");
      p.className = "muted named-by";
      p.textContent = note;
      parts.push(p);
    }
    this.header.replaceChildren(...parts);
    this.header.hidden = parts.length === 0;
  }

  close(): void {
    this.element.hidden = true;
    this.onAccept = null;
    this.onCancel = null;
    this.onRemove = null;
  }

  private removeTag(): void {
    const cb = this.onRemove;
    this.close();
    cb?.();
  }

  private cancel(): void {
    const cb = this.onCancel;
    this.close();
    cb?.();
  }

  /** The core's offer for `query`, asked once per text. */
  private async offerFor(query: string): Promise<Offer> {
    if (this.offer && this.offeredFor === query) return this.offer;
    const asked = ++this.asked;
    const offer = await api.offerPeople(this.photoId, this.faceId, query);
    if (asked === this.asked) {
      this.offer = offer;
      this.offeredFor = query;
    }
    return offer;
  }

  private get choices(): Person[] {
    return this.offer?.people ?? [];
  }

  private render(): void {
    const query = this.input.value;
    const trace = traceStart("typeahead");
    this.offerFor(query)
      .then(() => {
        trace.answered();
        if (this.offeredFor === query && this.isOpen) {
          this.draw();
          trace.drawn();
        }
      })
      .catch((e: unknown) => {
        // A failed look-up says so: an empty list would read as "nobody matches".
        const li = document.createElement("li");
        li.className = "typeahead-error";
        li.setAttribute("role", "alert");
        li.textContent = `Could not look up attendees: ${e instanceof Error ? e.message : String(e)}`;
        this.list.replaceChildren(li);
      });
  }

  private draw(): void {
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
        const avatar = avatarImage(p);
        if (avatar) li.append(avatar);
        li.append(login, " ", name);
        return li;
      }),
    );
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      this.cancel();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      e.stopPropagation();
      const n = this.choices.length;
      if (n) this.highlighted = (this.highlighted + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.draw();
    } else if (e.key === "Delete" && e.shiftKey && this.onRemove) {
      e.preventDefault();
      e.stopPropagation();
      this.removeTag();
    } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.stopPropagation(); // move the caret, not the view
    }
  }

  private async accept(at: number): Promise<void> {
    if (this.accepting) return;
    this.accepting = true;
    const typed = this.input.value.trim().replace(/^@/, "");
    let login = typed;
    if (this.highlighted >= 0) {
      // Enter may come before the answer for the last key: wait for it.
      const offer = await this.offerFor(this.input.value).catch(() => null);
      const picked = offer?.people[this.highlighted];
      // A highlighted suggestion wins unless the text typed is a login of its own.
      if (picked && !offer?.exact) login = picked.login;
    }
    this.accepting = false;
    if (!login || !this.isOpen) return;
    const cb = this.onAccept;
    this.close();
    cb?.(login, at);
  }
}
