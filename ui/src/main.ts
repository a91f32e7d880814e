// App shell: wires the library state, the background work's status, the views and the viewer
// together.
import {
  api,
  ApiError,
  type DetectReport,
  type EmbedReport,
  type GridPhoto,
  type IndexReport,
  type LibraryInfo,
  type Person,
  type PhotoFilter,
} from "./api";
import { openAbout } from "./about/about";
import { byId } from "./dom";
import { ExportDialog } from "./exports/exportDialog";
import { PostEditor } from "./exports/post";
import { PhotoGrid } from "./photos/grid";
import { history } from "./history";
import { JobStatus } from "./jobs/jobStatus";
import { TeamDialog } from "./team/teamDialog";
import { AvatarsControl } from "./people/avatars";
import { PeopleView } from "./people/people";
import { ClaimsPanel } from "./people/claims";
import { showPersonHeader } from "./people/personHeader";
import { PersonSuggestions } from "./people/personSuggestions";
import { GroupsView } from "./faces/groups";
import { plural } from "./text";
import { allTraces } from "./trace";
import { TriageView } from "./faces/triage";
import { Viewer } from "./photos/viewer";

type View = "photos" | "triage" | "people" | "groups" | "post";
const VIEWS: View[] = ["photos", "triage", "people", "groups", "post"];

let info: LibraryInfo | null = null;
let refreshTimer = 0;
/** The grid missed a change while another view was shown: read it again on the way back. */
let gridStale = false;
let view: View = "photos";
let filter: PhotoFilter = { untagged: false, people: [] };
let libraryPhotos = 0;

const grid = new PhotoGrid(
  byId("grid"),
  byId("grid-canvas"),
  (i) => viewer.open(i),
  (i) => {
    const photo = grid.photo(i);
    if (photo) addToPost(photo);
  },
);
const viewer = new Viewer(
  (i) => grid.photo(i),
  () => grid.length,
  (i) => grid.reveal(i),
  (message) => toast(message, true),
  () => facesChanged(),
  (photo) => addToPost(photo),
);
const post = new PostEditor(
  (message) => toast(message, true),
  (message) => toast(message),
);

function addToPost(photo: GridPhoto): void {
  post.add([photo.id], photo.name).catch(showError);
}
const triage = new TriageView(
  byId("view-triage"),
  byId("triage-grid"),
  (message) => toast(message, true),
  (photoId) => void openPhoto(photoId),
  (total) => (byId("triage-count").textContent = total ? String(total) : ""),
);
const exports = new ExportDialog();
const people = new PeopleView(
  (login) => void showPerson(login),
  (message) => toast(message, true),
  (list) => rosterChanged(list),
  (message) => toast(message),
);
new AvatarsControl(
  (message) => toast(message, true),
  (message) => {
    toast(message);
    // New avatars change the cards and may have brought suggestions.
    void people.refresh().catch(showError);
    facesChanged();
  },
);
const claims = new ClaimsPanel(
  () => {
    viewer.refreshFaces();
    facesChanged();
  },
  (message) => toast(message, true),
);
const groups = new GroupsView(
  byId("view-groups"),
  (message) => toast(message, true),
  () => facesChanged(),
  (message) => toast(message),
);
const personSuggestions = new PersonSuggestions({
  onChanged: () => facesChanged(),
  onError: showError,
  onOpenPhoto: (photoId) => void openPhoto(photoId),
  onSaved: (message) => toast(message),
});

async function refresh(): Promise<void> {
  const filtered = filter.untagged || filter.people.length > 0;
  const login = filter.people.length === 1 && !filter.untagged ? filter.people[0] : null;
  const [libraryInfo, photos, queue, person] = await Promise.all([
    api.libraryInfo(),
    api.listPhotos(filter),
    api.untaggedFaces(0),
    login ? api.getPerson(login) : Promise.resolve(null),
  ]);
  info = libraryInfo;
  libraryPhotos = Number(libraryInfo.photos);
  grid.setPhotos(photos);
  byId("triage-count").textContent = queue.total ? String(queue.total) : "";
  byId("photo-count").textContent = filtered
    ? `${plural(photos.length, "photo")} of ${libraryPhotos.toLocaleString("en-US")}`
    : photos.length
      ? plural(photos.length, "photo")
      : "";
  const emptyLibrary = libraryPhotos === 0 && !filtered;
  byId("empty").hidden = !emptyLibrary || libraryInfo.indexing;
  byId("filter-bar").hidden = emptyLibrary;
  byId("filter-empty").hidden = !(filtered && photos.length === 0);
  byId("grid").hidden = photos.length === 0;
  byId("rescan").hidden = libraryInfo.folders.length === 0;
  byId("filter-clear").hidden = !filtered;
  showFailures();
  showPersonHeader(person, { onEdited: () => refresh(), onError: showError, onSaved: (m) => toast(m) });
  await personSuggestions.show(person ? person.login : null);
}

/** After a tag, a box or an undo: counts, the person page and the filters may have changed. */
function facesChanged(): void {
  refreshSoon();
  if (view === "people") void people.refresh().catch(showError);
}

let loginsFor: Person[] | null = null;

function rosterChanged(list: Person[]): void {
  byId("people-count").textContent = list.length ? String(list.length) : "";
  loginsFor = list;
}

/** Suggestions for the people filter, built when it is first used after a roster change. */
function fillLogins(): void {
  if (!loginsFor) return;
  byId("people-logins").replaceChildren(
    ...loginsFor.map((p) => {
      const o = document.createElement("option");
      o.value = `@${p.login}`;
      o.label = p.name ?? "";
      return o;
    }),
  );
  loginsFor = null;
}

function setView(next: View, reload = true): void {
  if (view === "people" && next !== "people") people.clear();
  view = next;
  for (const v of VIEWS) {
    byId(`view-${v}`).hidden = v !== next;
    byId(`tab-${v}`).setAttribute("aria-selected", String(v === next));
  }
  document.documentElement.dataset.view = next;
  if (next === "triage") void triage.load().then(() => triage.focus());
  if (next === "people") {
    void people.refresh().catch(showError);
    void claims.refresh().catch(showError);
  }
  if (next === "groups") void groups.load();
  if (next === "post") post.load().catch(showError);
  if (next === "photos" && (reload || gridStale)) {
    gridStale = false;
    refresh().catch(showError);
  }
}

function setFilter(next: PhotoFilter): void {
  filter = next;
  byId<HTMLInputElement>("filter-untagged").checked = next.untagged;
  const input = byId<HTMLInputElement>("filter-people");
  if (document.activeElement !== input) input.value = next.people.map((l) => `@${l}`).join(" ");
  refresh().catch(showError);
}

/** "@a @b", "a, b" or "a and b" → ["a", "b"]. */
function parsePeople(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.replace(/^@/, "").trim())
    .filter((t) => t && t.toLowerCase() !== "and");
}

/** The person page: the photo grid filtered to one login, under a header about them. */
async function showPerson(login: string): Promise<void> {
  setView("photos", false);
  setFilter({ untagged: false, people: [login] });
}

/** Opens a photo in the viewer, from triage or a link; clears filters that would hide it. */
async function openPhoto(photoId: number): Promise<void> {
  setView("photos", false);
  let index = -1;
  for (let attempt = 0; attempt < 2 && index < 0; attempt++) {
    if (attempt === 1) {
      filter = { untagged: false, people: [] };
      byId<HTMLInputElement>("filter-people").value = "";
      byId<HTMLInputElement>("filter-untagged").checked = false;
    }
    await refresh();
    for (let i = 0; i < grid.length; i++) if (grid.photo(i)?.id === photoId) index = i;
  }
  if (index >= 0) viewer.open(index);
}

/** Refreshes at most twice a second while indexing commits new photos. The grid (a megabyte of
 *  rows on a 5,000-photo library) is read again only where it shows: while another view is
 *  shown, a change marks it stale and going back to Photos reads it, so a tag in triage or the
 *  typeahead never waits behind it. */
function refreshSoon(): void {
  if (view !== "photos") {
    gridStale = true;
    return;
  }
  if (refreshTimer) return;
  refreshTimer = window.setTimeout(() => {
    refreshTimer = 0;
    refresh().catch(showError);
  }, 500);
}

function showFailures(): void {
  const failures = info?.failures ?? [];
  const button = byId<HTMLButtonElement>("show-failures");
  button.hidden = failures.length === 0;
  button.textContent = `${plural(failures.length, "file")} could not be read`;
  const list = byId("failures-list");
  list.replaceChildren(
    ...failures.map((f) => {
      const li = document.createElement("li");
      const path = document.createElement("code");
      path.textContent = f.path;
      const why = document.createElement("span");
      why.textContent = f.error;
      li.append(path, why);
      return li;
    }),
  );
}

function onIndexFinished(r: IndexReport): void {
  const parts = [`${plural(r.indexed, "photo")} indexed`];
  if (r.unchanged) parts.push(`${r.unchanged} unchanged`);
  if (r.removed) parts.push(`${r.removed} missing`);
  if (r.failed.length) parts.push(`${r.failed.length} could not be read`);
  toast(r.cancelled ? `Indexing cancelled: ${parts.join(", ")}. Rescan to resume.` : parts.join(", "));
  refresh().catch(showError);
}

function onSearchFinished(r: DetectReport): void {
  const failed = r.failed.length ? `; ${plural(r.failed.length, "photo")} could not be searched` : "";
  if (r.photos > 0) toast(`${plural(r.faces, "face")} found in ${plural(r.photos, "photo")}${failed}${r.cancelled ? " (cancelled; Rescan to resume)" : ""}`);
  viewer.refreshFaces();
  refresh().catch(showError);
  if (view === "triage") void triage.load();
}

function onRecognitionFinished(r: EmbedReport): void {
  if (r.suggested > 0) toast(`${plural(r.suggested, "face")} with a suggestion${r.groups ? `, ${plural(r.groups, "group")} of unnamed faces` : ""}`);
  viewer.refreshFaces();
  refresh().catch(showError);
  if (view === "triage") void triage.load();
  if (view === "groups") void groups.load();
}

/** Teammates' decisions arrived: every view shows them, keeping what the person was doing. */
function teamChanged(): void {
  viewer.refreshFaces();
  refreshSoon();
  void people.refresh();
  if (view === "triage" && !triage.isEditing) void triage.load();
  if (view === "groups" && !groups.isEditing) void groups.load();
}

const team = new TeamDialog(
  (photoId) => void openPhoto(photoId),
  () => teamChanged(),
  (message) => toast(message, true),
);

const jobStatus = new JobStatus({
  photosCommitted: refreshSoon,
  indexFinished: onIndexFinished,
  searchFinished: onSearchFinished,
  recognitionFinished: onRecognitionFinished,
  failed: (error) => showError(error),
});

async function addFolders(): Promise<void> {
  const folders = await api.pickFolders();
  if (folders && folders.length) await startIndexing(folders);
}

async function startIndexing(folders: string[]): Promise<void> {
  try {
    await api.startIndexing(folders);
    jobStatus.starting();
  } catch (e) {
    showError(e);
  }
}

// The E2E tests hand over file paths as the native dialogs would (WebDriver cannot drive those).
(window as unknown as { whoiswho: object }).whoiswho = {
  importRoster: (path: string) => people.importFrom(path),
  exportFigureTo: (path: string) => viewer.figure.saveTo(path),
  exportGalleryTo: (folder: string) => exports.galleryTo(folder),
  exportPostTo: (folder: string) => post.exportTo(folder),
  importClaimsFrom: (path: string) => claims.importFrom(path),
  joinTeamAt: (folder: string, login: string) => team.joinAt(folder, login),
  /** Key-to-screen times of the last triage keys, for the benchmark and the E2E report. */
  latencies: () => allTraces().filter((t) => t.name === "triage: key").map((t) => t.ipc + t.script + t.frame),
  traces: () => allTraces(),
};

function showError(e: unknown): void {
  const message = e instanceof ApiError || e instanceof Error ? e.message : String(e);
  toast(message, true);
}

let toastTimer = 0;
function toast(message: string, isError = false): void {
  const el = byId("toast");
  el.textContent = message;
  el.classList.toggle("error", isError);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (el.hidden = true), isError ? 8000 : 5000);
}

byId("add-folder").addEventListener("click", () => addFolders().catch(showError));
byId("add-folder-empty").addEventListener("click", () => addFolders().catch(showError));
byId("rescan").addEventListener("click", () => startIndexing([]));
byId("show-failures").addEventListener("click", () => byId<HTMLDialogElement>("failures").showModal());
byId("open-about").addEventListener("click", () => openAbout().catch(showError));
byId("filter-untagged").addEventListener("change", (e) =>
  setFilter({ ...filter, untagged: (e.target as HTMLInputElement).checked }),
);
byId("filter-people").addEventListener("change", (e) =>
  setFilter({ ...filter, people: parsePeople((e.target as HTMLInputElement).value) }),
);
byId("filter-people").addEventListener("focus", fillLogins);
byId("filter-people").addEventListener("keydown", (e) => {
  if (e.key === "Enter") setFilter({ ...filter, people: parsePeople((e.target as HTMLInputElement).value) });
});
byId("filter-clear").addEventListener("click", () => {
  byId<HTMLInputElement>("filter-people").value = "";
  setFilter({ untagged: false, people: [] });
});
byId("person-link").addEventListener("click", (e) => {
  // The system browser, not this window: the app itself never loads remote pages.
  e.preventDefault();
  const login = byId("person-header").dataset.login;
  if (login) api.openProfile(login).catch(showError);
});
byId("person-back").addEventListener("click", () => {
  byId<HTMLInputElement>("filter-people").value = "";
  setFilter({ untagged: false, people: [] });
});
for (const v of VIEWS) byId(`tab-${v}`).addEventListener("click", () => setView(v));
history.onChange(() => facesChanged());

document.addEventListener("keydown", (e) => {
  if (viewer.isOpen || triage.isEditing || groups.isEditing || (e.target instanceof Element && e.target.closest("input, textarea, select, dialog"))) return;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && e.key.toLowerCase() === "o") {
    e.preventDefault();
    addFolders().catch(showError);
  } else if (ctrl && (e.key.toLowerCase() === "z" || e.key.toLowerCase() === "y")) {
    if (view === "triage") return; // the triage grid handles its own
    e.preventDefault();
    const redo = e.shiftKey || e.key.toLowerCase() === "y";
    (redo ? history.redo() : history.undo())
      .then((label) => label && toast(`${redo ? "Redone" : "Undone"}: ${label}`))
      .catch(showError);
  } else if (e.key === "F1") {
    e.preventDefault();
    openAbout().catch(showError);
  } else if (ctrl || e.altKey) {
    return;
  } else if (["1", "2", "3", "4", "5"].includes(e.key)) {
    setView(VIEWS[Number(e.key) - 1]);
  } else if (e.key === "r" && view === "photos") {
    startIndexing([]);
  } else if (e.key === "t") {
    void team.open();
  }
});

async function start(): Promise<void> {
  await jobStatus.listen();
  await api.onTeamUpdate((report) => {
    teamChanged();
    void team.refresh();
    if (report.applied || report.errors.length) toast(team.describe(report), report.errors.length > 0);
  });
  void team.refresh();
  await Promise.all([refresh(), people.refresh(), post.load()]);
  if (info) jobStatus.showRunning(info);
  // Tests and screenshots wait for this marker, not for any particular element.
  document.documentElement.dataset.ready = "true";
}

start().catch((e) => {
  showError(e);
  document.documentElement.dataset.ready = "error";
});
