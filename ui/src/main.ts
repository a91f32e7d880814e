// App shell: wires the library state, the indexing progress, the grid and the viewer together.
import {
  api,
  ApiError,
  type DetectProgress,
  type DetectReport,
  type IndexProgress,
  type IndexReport,
  type LibraryInfo,
} from "./api";
import { PhotoGrid } from "./grid";
import { plural } from "./text";
import { byId, Viewer } from "./viewer";

let info: LibraryInfo | null = null;
let lastCommitted = -1;
let refreshTimer = 0;

const grid = new PhotoGrid(byId("grid"), byId("grid-canvas"), (i) => viewer.open(i));
const viewer = new Viewer(
  (i) => grid.photo(i),
  () => grid.length,
  (i) => grid.reveal(i),
  (message) => toast(message),
);

async function refresh(): Promise<void> {
  const [libraryInfo, photos] = await Promise.all([api.libraryInfo(), api.listPhotos()]);
  info = libraryInfo;
  grid.setPhotos(photos);
  byId("photo-count").textContent = photos.length ? plural(photos.length, "photo") : "";
  byId("empty").hidden = photos.length > 0 || libraryInfo.indexing;
  byId("grid").hidden = photos.length === 0;
  byId("rescan").hidden = libraryInfo.folders.length === 0;
  showFailures();
}

/** Refreshes at most twice a second while indexing commits new photos. */
function refreshSoon(): void {
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

function onProgress(p: IndexProgress): void {
  const status = byId("index-status");
  const running = p.phase === "scanning" || p.phase === "indexing";
  status.hidden = !running;
  byId("empty").hidden = true;
  const bar = status.querySelector<HTMLElement>(".progress")!;
  const fill = status.querySelector<HTMLElement>(".progress-fill")!;
  const fraction = p.total > 0 ? p.done / p.total : 0;
  fill.style.width = `${Math.round(fraction * 100)}%`;
  bar.setAttribute("aria-valuemax", String(p.total));
  bar.setAttribute("aria-valuenow", String(p.done));
  const current = p.current ? ` · ${p.current.split(/[\\/]/).pop()}` : "";
  byId("index-text").textContent =
    p.phase === "scanning" ? "Looking for photos…" : `${p.done} / ${p.total}${current}`;
  document.documentElement.dataset.indexing = String(running);
  if (p.committed !== lastCommitted) {
    lastCommitted = p.committed;
    refreshSoon();
  }
}

function onFinished(r: IndexReport): void {
  byId("index-status").hidden = true;
  document.documentElement.dataset.indexing = "false";
  const parts = [`${plural(r.indexed, "photo")} indexed`];
  if (r.unchanged) parts.push(`${r.unchanged} unchanged`);
  if (r.removed) parts.push(`${r.removed} missing`);
  if (r.failed.length) parts.push(`${r.failed.length} could not be read`);
  toast(r.cancelled ? `Indexing cancelled: ${parts.join(", ")}. Rescan to resume.` : parts.join(", "));
  refresh().catch(showError);
}

function onSearchProgress(p: DetectProgress): void {
  const status = byId("index-status");
  status.hidden = false;
  const fill = status.querySelector<HTMLElement>(".progress-fill")!;
  fill.style.width = `${p.total ? Math.round((p.done / p.total) * 100) : 0}%`;
  byId("index-text").textContent = `Finding faces ${p.done} / ${p.total} · ${plural(p.faces, "face")}`;
  document.documentElement.dataset.searching = "true";
}

function onSearchFinished(r: DetectReport): void {
  byId("index-status").hidden = true;
  document.documentElement.dataset.searching = "false";
  if (r.photos > 0) toast(`${plural(r.faces, "face")} found in ${plural(r.photos, "photo")}${r.cancelled ? " (cancelled; Rescan to resume)" : ""}`);
  viewer.refreshFaces();
  refresh().catch(showError);
}

async function addFolders(): Promise<void> {
  const folders = await api.pickFolders();
  if (folders && folders.length) await startIndexing(folders);
}

async function startIndexing(folders: string[]): Promise<void> {
  try {
    await api.startIndexing(folders);
    byId("index-status").hidden = false;
  } catch (e) {
    showError(e);
  }
}

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
byId("cancel-index").addEventListener("click", () => api.cancelIndexing().catch(showError));
byId("show-failures").addEventListener("click", () => byId<HTMLDialogElement>("failures").showModal());
document.addEventListener("keydown", (e) => {
  if (viewer.isOpen || (e.target as HTMLElement).closest("input, textarea, dialog")) return;
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "o") {
    e.preventDefault();
    addFolders().catch(showError);
  } else if (e.key === "r" && !e.ctrlKey && !e.metaKey && !e.altKey) {
    startIndexing([]);
  }
});

async function start(): Promise<void> {
  await Promise.all([
    api.onIndexProgress(onProgress),
    api.onIndexFinished(onFinished),
    api.onJobError(showError),
    api.onFaceSearchProgress(onSearchProgress),
    api.onFaceSearchFinished(onSearchFinished),
  ]);
  await refresh();
  if (info?.indexing || info?.searching) byId("index-status").hidden = false;
  // Tests and screenshots wait for this marker, not for any particular element.
  document.documentElement.dataset.ready = "true";
}

start().catch((e) => {
  showError(e);
  document.documentElement.dataset.ready = "error";
});
