// App shell: mounts every view's template, wires the views, the viewer and the background
// work's status together, and owns what is the window's alone: which view shows, the bar's
// counts, the toasts and the keys that work everywhere. Each view keeps its own state.
import { api, ApiError, type DetectReport, type EmbedReport, type GridPhoto, type IndexReport, type LibraryInfo, type Person } from "./api";
import { aboutTemplate, openAbout } from "./about/about";
import { confirmTemplate } from "./confirm";
import { byId, mount } from "./dom";
import { ExportDialog, exportTemplate } from "./exports/exportDialog";
import { figureTemplate } from "./exports/figure";
import { PostEditor, postTemplate } from "./exports/post";
import { history } from "./history";
import { JobStatus } from "./jobs/jobStatus";
import { TeamDialog, teamTemplate } from "./team/teamDialog";
import { AvatarsControl } from "./people/avatars";
import { attendeeDialogsTemplate, PeopleView, peopleTemplate } from "./people/people";
import { ClaimsPanel } from "./people/claims";
import { GroupsView, groupsTemplate } from "./faces/groups";
import { plural } from "./text";
import { allTraces } from "./trace";
import { TriageView, triageTemplate } from "./faces/triage";
import { PhotosView, photosTemplate, type LibraryRead } from "./photos/photosView";
import { Viewer, viewerTemplate } from "./photos/viewer";

type View = "photos" | "triage" | "people" | "groups" | "post";
const VIEWS: View[] = ["photos", "triage", "people", "groups", "post"];

/** The shell's own state; everything else lives in the view it belongs to. */
const shell: { view: View; info: LibraryInfo | null; toastTimer: number } = {
  view: "photos",
  info: null,
  toastTimer: 0,
};

// The views in tab order, then the dialogs and the viewer, which open over any view.
for (const template of [photosTemplate, triageTemplate, peopleTemplate, groupsTemplate, postTemplate]) {
  mount(template, byId("main"));
}
for (const template of [viewerTemplate, figureTemplate, exportTemplate, teamTemplate, attendeeDialogsTemplate, aboutTemplate, confirmTemplate]) {
  mount(template);
}

const photos = new PhotosView({
  openViewer: (i) => viewer.open(i),
  addToPost: (photo) => addToPost(photo),
  openPhoto: (photoId) => void openPhoto(photoId),
  addFolders: () => addFolders().catch(showError),
  libraryRead: (read) => libraryRead(read),
  facesChanged: () => facesChanged(),
  error: showError,
  saved: (message) => toast(message),
});
const viewer = new Viewer(
  (i) => photos.grid.photo(i),
  () => photos.grid.length,
  (i) => photos.grid.reveal(i),
  (message) => toast(message, true),
  () => facesChanged(),
  (photo) => addToPost(photo),
);
const post = new PostEditor(
  (message) => toast(message, true),
  (message) => toast(message),
);
const triage = new TriageView(
  byId("view-triage"),
  byId("triage-grid"),
  (message) => toast(message, true),
  (photoId) => void openPhoto(photoId),
  (total) => (byId("triage-count").textContent = total ? String(total) : ""),
);
const exports = new ExportDialog();
const people = new PeopleView(
  (login) => showPerson(login),
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

/** P in the grid or the viewer, or the viewer's button. */
function addToPost(photo: GridPhoto): void {
  post.add([photo.id], photo.name).catch(showError);
}

/** The Photos view read the library: the bar's counts, Rescan and the unreadable files. */
function libraryRead({ info, untagged, shown }: LibraryRead): void {
  shell.info = info;
  byId("triage-count").textContent = untagged ? String(untagged) : "";
  byId("photo-count").textContent = shown;
  byId("rescan").hidden = info.folders.length === 0;
  showFailures(info);
}

/** After a tag, a box or an undo: counts, the person page and the filters may have changed. */
function facesChanged(): void {
  photos.refreshSoon();
  if (shell.view === "people") void people.refresh().catch(showError);
}

function rosterChanged(list: Person[]): void {
  byId("people-count").textContent = list.length ? String(list.length) : "";
  photos.rosterChanged(list);
}

function setView(next: View, reload = true): void {
  shell.view = next;
  for (const v of VIEWS) {
    byId(`view-${v}`).hidden = v !== next;
    byId(`tab-${v}`).setAttribute("aria-selected", String(v === next));
  }
  document.documentElement.dataset.view = next;
  if (next === "photos") photos.show(reload);
  else photos.hide();
  if (next === "triage") void triage.load().then(() => triage.focus());
  if (next === "people") {
    void people.refresh().catch(showError);
    void claims.refresh().catch(showError);
  }
  if (next === "groups") void groups.load();
  if (next === "post") post.load().catch(showError);
}

/** The person page: the photo grid filtered to one login, under a header about them. */
function showPerson(login: string): void {
  setView("photos", false);
  photos.showPerson(login);
}

/** Opens a photo in the viewer, from triage or a link; clears filters that would hide it. */
async function openPhoto(photoId: number): Promise<void> {
  setView("photos", false);
  const index = await photos.find(photoId);
  if (index >= 0) viewer.open(index);
}

function showFailures(info: LibraryInfo): void {
  const failures = info.failures;
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
  photos.refresh().catch(showError);
}

function onSearchFinished(r: DetectReport): void {
  const failed = r.failed.length ? `; ${plural(r.failed.length, "photo")} could not be searched` : "";
  if (r.photos > 0) toast(`${plural(r.faces, "face")} found in ${plural(r.photos, "photo")}${failed}${r.cancelled ? " (cancelled; Rescan to resume)" : ""}`);
  viewer.refreshFaces();
  photos.refresh().catch(showError);
  if (shell.view === "triage") void triage.load();
}

function onRecognitionFinished(r: EmbedReport): void {
  if (r.suggested > 0) toast(`${plural(r.suggested, "face")} with a suggestion${r.groups ? `, ${plural(r.groups, "group")} of unnamed faces` : ""}`);
  viewer.refreshFaces();
  photos.refresh().catch(showError);
  if (shell.view === "triage") void triage.load();
  if (shell.view === "groups") void groups.load();
}

/** Teammates' decisions arrived: every view shows them, keeping what the person was doing. */
function teamChanged(): void {
  viewer.refreshFaces();
  photos.refreshSoon();
  void people.refresh();
  if (shell.view === "triage" && !triage.isEditing) void triage.load();
  if (shell.view === "groups" && !groups.isEditing) void groups.load();
}

const team = new TeamDialog(
  (photoId) => void openPhoto(photoId),
  () => teamChanged(),
  (message) => toast(message, true),
);

const jobStatus = new JobStatus({
  photosCommitted: () => photos.refreshSoon(),
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

function toast(message: string, isError = false): void {
  const el = byId("toast");
  el.textContent = message;
  el.classList.toggle("error", isError);
  el.hidden = false;
  clearTimeout(shell.toastTimer);
  shell.toastTimer = window.setTimeout(() => (el.hidden = true), isError ? 8000 : 5000);
}

byId("add-folder").addEventListener("click", () => addFolders().catch(showError));
byId("rescan").addEventListener("click", () => startIndexing([]));
byId("show-failures").addEventListener("click", () => byId<HTMLDialogElement>("failures").showModal());
byId("open-about").addEventListener("click", () => openAbout().catch(showError));
for (const v of VIEWS) byId(`tab-${v}`).addEventListener("click", () => setView(v));
history.onChange(() => facesChanged());

document.addEventListener("keydown", (e) => {
  if (viewer.isOpen || triage.isEditing || groups.isEditing || (e.target instanceof Element && e.target.closest("input, textarea, select, dialog"))) return;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && e.key.toLowerCase() === "o") {
    e.preventDefault();
    addFolders().catch(showError);
  } else if (ctrl && (e.key.toLowerCase() === "z" || e.key.toLowerCase() === "y")) {
    if (shell.view === "triage") return; // the triage grid handles its own
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
  } else if (e.key === "r" && shell.view === "photos") {
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
  await Promise.all([photos.refresh(), people.refresh(), post.load()]);
  if (shell.info) jobStatus.showRunning(shell.info);
  // Tests and screenshots wait for this marker, not for any particular element.
  document.documentElement.dataset.ready = "true";
}

start().catch((e) => {
  showError(e);
  document.documentElement.dataset.ready = "error";
});
