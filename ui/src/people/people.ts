// People: the attendee roster as cards (best face crop, name, login, face and photo counts,
// consent), the add/edit dialog, and roster CSV import with its report.
import { api, ApiError, avatarImage, avatarUrl, personCropUrl, type Consent, type ConsentChange, type Person, type RosterReport, type RowIssue } from "../api";
import { ask } from "../confirm";
import { lastRoster, rosterChanged, rosterIs } from "../roster";
import { plural } from "../text";
import { byId } from "../dom";

export { default as peopleTemplate } from "./people.html?raw";
export { default as attendeeDialogsTemplate } from "./attendeeDialogs.html?raw";

export const CONSENT_LABEL: Record<Consent, string> = {
  ok: "ok",
  "no-tag": "no-tag: never tagged",
  "no-publish": "no-publish: blurred in exports",
};

/** The card grid's measures in `styles.css` (`.people-grid`, `.person-card`): the narrowest
 *  column, the gap, a card's height, and the grid's side padding. */
const CARD_WIDTH = 260;
const GAP = 10;
const CARD_HEIGHT = 86;
const PADDING = 32;

/** The cards the window can show at once, from its size (not the grid's: reading that would
 *  lay the page out an extra time); made first, before the others. */
function screenful(): number {
  const columns = Math.max(1, Math.floor((innerWidth - PADDING + GAP) / (CARD_WIDTH + GAP)));
  const rows = Math.ceil(innerHeight / (CARD_HEIGHT + GAP));
  return columns * rows;
}

export class PeopleView {
  private people: Person[] = [];
  /** Which render the deferred rest of the cards belongs to; a newer one cancels it. */
  private generation = 0;
  private readonly grid = byId("people-grid");
  private readonly search = byId<HTMLInputElement>("people-search");

  constructor(
    onOpenPerson: (login: string) => void,
    private readonly onError: (message: string) => void,
    private readonly onChanged: (people: Person[]) => void,
    toast: (message: string) => void,
  ) {
    this.search.addEventListener("input", () => this.render());
    this.grid.addEventListener("click", (e) => {
      const target = e.target as HTMLElement;
      const card = target.closest<HTMLElement>("[data-login]");
      if (!card) return;
      const person = this.people.find((p) => p.login === card.dataset.login);
      if (!person) return;
      if (target.closest(".edit")) editPerson(person, () => this.refresh(), onError, toast);
      else onOpenPerson(person.login);
    });
    byId("add-person").addEventListener("click", () => editPerson(null, () => this.refresh(), onError, toast));
    byId("import-roster").addEventListener("click", () => void this.importRoster());
  }

  get all(): Person[] {
    return this.people;
  }

  /** Draws the last known roster at once (counts may be a moment old), then the fresh one if
   *  it differs. */
  async refresh(): Promise<void> {
    const known = lastRoster();
    if (known && this.grid.childElementCount === 0) {
      this.people = known;
      this.render();
    }
    const fresh = await api.listPeople();
    rosterIs(fresh);
    this.onChanged(fresh);
    const same = known !== null && this.grid.childElementCount > 0 && JSON.stringify(known) === JSON.stringify(fresh);
    this.people = fresh;
    if (!same) this.render();
  }

  private render(): void {
    const q = this.search.value.trim().replace(/^@/, "").toLowerCase();
    const shown = this.people.filter(
      (p) => !q || [p.login, p.name ?? "", p.affiliation ?? ""].some((v) => v.toLowerCase().includes(q)),
    );
    // In the core's order (`people::in_listing_order`): tagged people first, most faces first.
    byId("people-empty").hidden = this.people.length > 0;
    this.grid.dataset.count = String(shown.length);
    // A screenful in this task, the rest in the next animation frame, so that the cards are
    // made in two pieces. (Appending the rest only after the first paint showed the first
    // screen 20 ms sooner but all 300 cards 15-35 ms later; the bench measures both.)
    const first = screenful();
    this.grid.replaceChildren(...shown.slice(0, first).map((p) => this.card(p)));
    const generation = ++this.generation;
    if (shown.length > first) {
      requestAnimationFrame(() => {
        if (generation === this.generation) this.grid.append(...shown.slice(first).map((p) => this.card(p, true)));
      });
    }
  }

  /** `later`: after the first screenful, skipped by the page while off the screen. */
  private card(p: Person, later = false): HTMLElement {
    const card = document.createElement("article");
    card.className = later ? "person-card later" : "person-card";
    card.dataset.login = p.login;
    const open = document.createElement("button");
    open.type = "button";
    open.className = "person-open";
    open.setAttribute("aria-label", `Photos of @${p.login}`);
    // Their best face in the photos; until they have one, their avatar.
    const crop = personCropUrl(p) ?? avatarUrl(p);
    const face = document.createElement(crop ? "img" : "div");
    face.className = "crop";
    if (crop) {
      (face as HTMLImageElement).src = crop;
      (face as HTMLImageElement).alt = "";
      (face as HTMLImageElement).loading = "lazy";
      // The frame that shows the cards does not wait for their crops to decode.
      (face as HTMLImageElement).decoding = "async";
    } else {
      face.textContent = (p.name || p.login).slice(0, 1).toUpperCase();
    }
    const text = document.createElement("div");
    text.className = "person-text";
    const name = document.createElement("strong");
    name.textContent = p.name ?? `@${p.login}`;
    const login = document.createElement("span");
    login.className = "login";
    login.textContent = `@${p.login}`;
    const stats = document.createElement("span");
    stats.className = "muted";
    stats.textContent = p.faces ? `${plural(p.faces, "face")} · ${plural(p.photos, "photo")}` : "not tagged yet";
    const avatar = avatarImage(p);
    if (avatar) login.prepend(avatar, " ");
    text.append(name, login);
    if (p.affiliation) {
      const aff = document.createElement("span");
      aff.className = "muted";
      aff.textContent = p.affiliation;
      text.append(aff);
    }
    text.append(stats);
    if (p.avatar === "none" || p.avatar === "many") {
      const note = document.createElement("span");
      note.className = "muted avatar-note";
      note.textContent = p.avatar === "none" ? "no face in avatar" : "several faces in avatar";
      note.title = "This avatar is not used to suggest them";
      text.append(note);
    }
    open.append(face, text);
    card.append(open);
    if (p.consent !== "ok") {
      const c = document.createElement("span");
      c.className = `consent ${p.consent}`;
      c.textContent = p.consent;
      c.title = CONSENT_LABEL[p.consent];
      card.append(c);
    }
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "edit ghost small";
    edit.textContent = "Edit";
    edit.setAttribute("aria-label", `Edit @${p.login}`);
    card.append(edit);
    return card;
  }

  private async importRoster(): Promise<void> {
    try {
      const path = await api.pickRosterFile();
      if (!path) return;
      await this.importFrom(path);
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  /** Imports a roster file and shows the report. `lowerConsent`: the organizer confirmed
   *  lowering the consents attendees asked for themselves. */
  async importFrom(path: string, lowerConsent = false): Promise<void> {
    const report = await api.importRoster(path, lowerConsent);
    rosterChanged();
    await this.refresh();
    showReport(report, async () => {
      const logins = report.kept.map((k) => `@${k.login} (${k.from} → ${k.to})`).join(", ");
      const answer = await ask(
        "Lower what attendees asked for?",
        `These attendees asked for their consent themselves, and the roster says less: ${logins}. Lowering it names or shows them where they asked not to be.`,
        [{ value: "lower", label: `Lower ${plural(report.kept.length, "consent")}` }],
      );
      if (answer === "lower") await this.importFrom(path, true);
    });
  }
}

function showReport(r: RosterReport, lower: () => Promise<void>): void {
  byId("roster-summary").textContent =
    `${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected.length} not imported. ` +
    `${plural(r.people, "attendee")} in the roster.` +
    (r.untagged > 0 ? ` ${plural(r.untagged, "face")} untagged: their attendees are now no-tag.` : "");
  const fill = (id: string, issues: RowIssue[]) => {
    byId(`${id}-title`).hidden = issues.length === 0;
    byId(id).replaceChildren(
      ...issues.map((i) => {
        const li = document.createElement("li");
        li.textContent = `Line ${i.line}${i.login ? ` (${i.login})` : ""}: ${i.message}`;
        return li;
      }),
    );
  };
  fill("roster-rejected", r.rejected);
  fill("roster-warnings", r.warnings);
  const changes = (id: string, list: ConsentChange[], say: (c: ConsentChange) => string) => {
    byId(`${id}-title`).hidden = list.length === 0;
    byId(id).replaceChildren(
      ...list.map((c) => {
        const li = document.createElement("li");
        li.textContent = say(c);
        return li;
      }),
    );
  };
  changes("roster-lowered", r.lowered, (c) => `@${c.login}: ${c.from} → ${c.to}`);
  changes("roster-kept", r.kept, (c) => `@${c.login} stays ${c.from} (the roster says ${c.to})`);
  const button = byId<HTMLButtonElement>("roster-lower");
  button.hidden = r.kept.length === 0;
  button.onclick = () => {
    byId<HTMLDialogElement>("roster-report").close();
    void lower();
  };
  const dialog = byId<HTMLDialogElement>("roster-report");
  if (!dialog.open) dialog.showModal();
}

/** Opens the attendee dialog: a new attendee when `person` is null. */
export function editPerson(
  person: Person | null,
  saved: () => Promise<void> | void,
  onError: (message: string) => void,
  toast: (message: string) => void,
): void {
  const dialog = byId<HTMLDialogElement>("person-dialog");
  const login = byId<HTMLInputElement>("pf-login");
  const name = byId<HTMLInputElement>("pf-name");
  const affiliation = byId<HTMLInputElement>("pf-affiliation");
  const consent = byId<HTMLSelectElement>("pf-consent");
  const error = byId("pf-error");
  byId("person-dialog-title").textContent = person ? `Edit @${person.login}` : "Add attendee";
  login.value = person?.login ?? "";
  login.readOnly = person !== null;
  name.value = person?.name ?? "";
  affiliation.value = person?.affiliation ?? "";
  consent.value = person?.consent ?? "ok";
  error.hidden = true;
  // Consent wins over work done: say what saving will take away before it happens.
  consent.onchange = () => {
    const loses = person && consent.value === "no-tag" && person.consent !== "no-tag" && person.faces > 0;
    error.hidden = !loses;
    error.textContent = loses ? `Saving removes @${person.login} from ${plural(person.faces, "tagged face")}.` : "";
  };
  const form = byId<HTMLFormElement>("person-form");
  form.onsubmit = async (e) => {
    e.preventDefault();
    const next = consent.value as Consent;
    const input = {
      login: login.value.trim(),
      name: name.value,
      affiliation: affiliation.value,
      consent: next,
      lower_consent: false,
    };
    try {
      let result;
      try {
        result = await api.savePerson(input);
      } catch (err) {
        // The attendee asked for more privacy themselves: ask plainly before lowering it.
        if (!(err instanceof ApiError && err.code === "needs_confirmation")) throw err;
        const answer = await ask(`Make @${input.login} ${next}?`, err.message, [
          { value: "lower", label: `Make them ${next}` },
        ]);
        if (answer !== "lower") return;
        result = await api.savePerson({ ...input, lower_consent: true });
      }
      dialog.close();
      rosterChanged();
      if (result.untagged) toast(`@${result.person.login} removed from ${plural(result.untagged, "face")}`);
      await saved();
    } catch (err) {
      error.hidden = false;
      error.textContent = err instanceof ApiError || err instanceof Error ? err.message : String(err);
      if (!(err instanceof ApiError)) onError(error.textContent);
    }
  };
  byId("pf-cancel").onclick = () => dialog.close();
  dialog.showModal();
  (person ? name : login).focus();
}
