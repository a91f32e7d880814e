// The Photos view: the grid of the library's photos, its filters (untagged faces, people), and
// the person page it becomes when filtered to one login (header and suggestions to review).
// It reads the library again when something changed, but only while it shows: a change made
// elsewhere marks it stale and it reads on the way back.
import { api, type GridPhoto, type LibraryInfo, type Person, type PhotoFilter } from "../api";
import { byId } from "../dom";
import { plural } from "../text";
import { PhotoGrid } from "./grid";
import { showPersonHeader } from "./personHeader";
import { PersonSuggestions } from "./personSuggestions";

export { default as photosTemplate } from "./photos.html?raw";

/** What the view reads about the whole library, for the shell's bar. */
export type LibraryRead = {
  info: LibraryInfo;
  /** Faces waiting in triage. */
  untagged: number;
  /** "12 photos", or "3 photos of 1,200" when filtered. */
  shown: string;
};

export type PhotosViewEvents = {
  openViewer: (index: number) => void;
  addToPost: (photo: GridPhoto) => void;
  openPhoto: (photoId: number) => void;
  addFolders: () => void;
  libraryRead: (read: LibraryRead) => void;
  facesChanged: () => void;
  error: (e: unknown) => void;
  saved: (message: string) => void;
};

export class PhotosView {
  readonly grid: PhotoGrid;
  private readonly suggestions: PersonSuggestions;
  private filter: PhotoFilter = { untagged: false, people: [] };
  private shown = true;
  /** A change was missed while another view showed. */
  private stale = false;
  private refreshTimer = 0;
  /** The roster for the people filter's suggestions, until the filter is next used. */
  private logins: Person[] | null = null;

  constructor(private readonly on: PhotosViewEvents) {
    this.grid = new PhotoGrid(
      byId("grid"),
      byId("grid-canvas"),
      (i) => on.openViewer(i),
      (i) => {
        const photo = this.grid.photo(i);
        if (photo) on.addToPost(photo);
      },
    );
    this.suggestions = new PersonSuggestions({
      onChanged: on.facesChanged,
      onError: on.error,
      onOpenPhoto: on.openPhoto,
      onSaved: on.saved,
    });
    byId("add-folder-empty").addEventListener("click", () => on.addFolders());
    this.wireFilters();
    this.wirePersonHeader();
  }

  /** The view is shown; reads the library if asked to or if it missed a change. */
  show(reload: boolean): void {
    this.shown = true;
    if (reload || this.stale) {
      this.stale = false;
      this.refresh().catch(this.on.error);
    }
  }

  hide(): void {
    this.shown = false;
  }

  /** Reads the library, the filtered photos and the person page, and shows them. */
  async refresh(): Promise<void> {
    const filter = this.filter;
    const filtered = filter.untagged || filter.people.length > 0;
    const login = filter.people.length === 1 && !filter.untagged ? filter.people[0] : null;
    const [info, photos, queue, person] = await Promise.all([
      api.libraryInfo(),
      api.listPhotos(filter),
      api.untaggedFaces(0),
      login ? api.getPerson(login) : Promise.resolve(null),
    ]);
    const libraryPhotos = Number(info.photos);
    this.grid.setPhotos(photos);
    const shown = filtered
      ? `${plural(photos.length, "photo")} of ${libraryPhotos.toLocaleString("en-US")}`
      : photos.length
        ? plural(photos.length, "photo")
        : "";
    this.on.libraryRead({ info, untagged: queue.total, shown });
    const emptyLibrary = libraryPhotos === 0 && !filtered;
    byId("empty").hidden = !emptyLibrary || info.indexing;
    byId("filter-bar").hidden = emptyLibrary;
    byId("filter-empty").hidden = !(filtered && photos.length === 0);
    byId("grid").hidden = photos.length === 0;
    byId("filter-clear").hidden = !filtered;
    showPersonHeader(person, { onEdited: () => this.refresh(), onError: this.on.error, onSaved: this.on.saved });
    await this.suggestions.show(person ? person.login : null);
  }

  /** Something changed the photos or their faces: read again at most twice a second while
   *  shown (indexing commits photos in a stream). The grid (a megabyte of rows on a 5,000-photo
   *  library) is read again only where it shows, so a tag in triage never waits behind it. */
  refreshSoon(): void {
    if (!this.shown) {
      this.stale = true;
      return;
    }
    if (this.refreshTimer) return;
    this.refreshTimer = window.setTimeout(() => {
      this.refreshTimer = 0;
      this.refresh().catch(this.on.error);
    }, 500);
  }

  /** The person page of `login`. */
  showPerson(login: string): void {
    this.setFilter({ untagged: false, people: [login] });
  }

  /** Where the photo is in the grid, clearing filters that would hide it; -1 if it is gone. */
  async find(photoId: number): Promise<number> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt === 1) this.clearFilters();
      await this.refresh();
      for (let i = 0; i < this.grid.length; i++) if (this.grid.photo(i)?.id === photoId) return i;
    }
    return -1;
  }

  /** The roster changed: the people filter suggests the new list when next used. */
  rosterChanged(people: Person[]): void {
    this.logins = people;
  }

  /** Filters the photos by `next` and shows them. */
  private setFilter(next: PhotoFilter): void {
    this.useFilter(next);
    this.refresh().catch(this.on.error);
  }

  /** The filter the next read uses, shown in the bar (the people field left as typed while
   *  the organizer is in it). */
  private useFilter(next: PhotoFilter): void {
    this.filter = next;
    byId<HTMLInputElement>("filter-untagged").checked = next.untagged;
    const input = byId<HTMLInputElement>("filter-people");
    if (document.activeElement !== input) input.value = next.people.map((l) => `@${l}`).join(" ");
  }

  /** No filter for the next read, the people field emptied even while in it. */
  private clearFilters(): void {
    byId<HTMLInputElement>("filter-people").value = "";
    this.useFilter({ untagged: false, people: [] });
  }

  private showAll(): void {
    this.clearFilters();
    this.refresh().catch(this.on.error);
  }

  private wireFilters(): void {
    const people = byId<HTMLInputElement>("filter-people");
    byId("filter-untagged").addEventListener("change", (e) =>
      this.setFilter({ ...this.filter, untagged: (e.target as HTMLInputElement).checked }),
    );
    people.addEventListener("change", () => this.setFilter({ ...this.filter, people: parsePeople(people.value) }));
    people.addEventListener("focus", () => this.fillLogins());
    people.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.setFilter({ ...this.filter, people: parsePeople(people.value) });
    });
    byId("filter-clear").addEventListener("click", () => this.showAll());
  }

  private wirePersonHeader(): void {
    byId("person-link").addEventListener("click", (e) => {
      // The system browser, not this window: the app itself never loads remote pages.
      e.preventDefault();
      const login = byId("person-header").dataset.login;
      if (login) api.openProfile(login).catch(this.on.error);
    });
    byId("person-back").addEventListener("click", () => this.showAll());
  }

  /** Suggestions for the people filter, built when it is first used after a roster change. */
  private fillLogins(): void {
    if (!this.logins) return;
    byId("people-logins").replaceChildren(
      ...this.logins.map((p) => {
        const o = document.createElement("option");
        o.value = `@${p.login}`;
        o.label = p.name ?? "";
        return o;
      }),
    );
    this.logins = null;
  }
}

/** "@a @b", "a, b" or "a and b" → ["a", "b"]. */
function parsePeople(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.replace(/^@/, "").trim())
    .filter((t) => t && t.toLowerCase() !== "and");
}
