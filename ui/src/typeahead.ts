// The tagging typeahead: a small popover with an input and the roster's best matches. Enter
// accepts the highlighted attendee (or a login typed in full), Esc closes, arrows move.
import type { Person } from "./api";

export class Typeahead {
  readonly element = document.createElement("form");
  private readonly input = document.createElement("input");
  private readonly list = document.createElement("ul");
  private readonly remove = document.createElement("button");
  private onRemove: (() => void) | null = null;
  private people: Person[] = [];
  private here = new Set<string>();
  private choices: Person[] = [];
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
    this.element.append(this.input, this.list, this.remove);
    parent.appendChild(this.element);
    this.input.addEventListener("input", () => {
      this.highlighted = 0;
      this.render();
    });
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.element.addEventListener("submit", (e) => {
      e.preventDefault();
      this.accept(e.timeStamp);
    });
    this.list.addEventListener("mousedown", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-login]");
      if (!li) return;
      e.preventDefault();
      this.input.value = li.dataset.login ?? "";
      this.highlighted = -1;
      this.accept(e.timeStamp);
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

  /** Opens at (left, top) in the parent's coordinates, starting from `text`. `here` holds the
   *  logins already on the photo: they are ranked last. */
  open(opts: {
    left: number;
    top: number;
    text: string;
    people: Person[];
    here: Iterable<string>;
    onAccept: (login: string, at: number) => void;
    onCancel?: () => void;
    /** Offered when the face has a login: takes it off. */
    onRemove?: () => void;
  }): void {
    this.onRemove = opts.onRemove ?? null;
    this.remove.hidden = !opts.onRemove;
    this.remove.textContent = opts.text ? `Remove @${opts.text}` : "Remove tag";
    this.people = opts.people;
    this.here = new Set([...opts.here].map((l) => l.toLowerCase()));
    this.onAccept = opts.onAccept;
    this.onCancel = opts.onCancel ?? null;
    const parent = this.element.parentElement!.getBoundingClientRect();
    this.element.style.left = `${Math.max(0, Math.min(opts.left, parent.width - 280))}px`;
    this.element.style.top = `${Math.max(0, Math.min(opts.top, parent.height - 300))}px`;
    this.element.hidden = false;
    this.input.value = opts.text;
    this.highlighted = 0;
    this.render();
    this.input.focus();
    if (opts.text.length > 1) this.input.select();
  }

  /** Ranks again once the photo's other faces are known. */
  setHere(here: Iterable<string>): void {
    this.here = new Set([...here].map((l) => l.toLowerCase()));
    if (this.isOpen) this.render();
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

  /** Best matches first; people who asked not to be tagged are never offered; people already
   *  on this photo go to the end. */
  rank(query: string): Person[] {
    const q = query.trim().replace(/^@/, "").toLowerCase();
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
      if (this.here.has(login)) score += 10;
      scored.push([score, p]);
    }
    scored.sort((a, b) => a[0] - b[0] || b[1].faces - a[1].faces || a[1].login.localeCompare(b[1].login));
    return scored.slice(0, 8).map(([, p]) => p);
  }

  private render(): void {
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
      this.cancel();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      e.stopPropagation();
      const n = this.choices.length;
      if (n) this.highlighted = (this.highlighted + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.render();
    } else if (e.key === "Delete" && e.shiftKey && this.onRemove) {
      e.preventDefault();
      e.stopPropagation();
      this.removeTag();
    } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.stopPropagation(); // move the caret, not the view
    }
  }

  private accept(at: number): void {
    const typed = this.input.value.trim().replace(/^@/, "");
    const picked = this.highlighted >= 0 ? this.choices[this.highlighted] : undefined;
    // A highlighted suggestion wins unless the text typed is a login of its own.
    const exact = this.people.some((p) => p.login.toLowerCase() === typed.toLowerCase());
    const login = picked && !exact ? picked.login : typed;
    if (!login) return;
    const cb = this.onAccept;
    this.close();
    cb?.(login, at);
  }
}
