// The status bar of the library's background work: indexing, then the face search, then
// recognition (the core decides what follows what), each with its progress, and one Cancel that
// stops all three. What each job ended with is handed to the shell, which refreshes the views.
import {
  api,
  ApiError,
  type DetectProgress,
  type DetectReport,
  type EmbedProgress,
  type EmbedReport,
  type IndexProgress,
  type IndexReport,
  type JobKind,
  type JobUpdate,
  type LibraryInfo,
} from "../api";
import { byId } from "../dom";
import { plural } from "../text";

/** The jobs this bar shows and its Cancel stops; avatars have their own control. */
const LIBRARY_JOBS: JobKind[] = ["index", "face_search", "recognition"];

export interface JobStatusEvents {
  /** Indexing committed more photos: the grid may show them. */
  photosCommitted(): void;
  indexFinished(report: IndexReport): void;
  searchFinished(report: DetectReport): void;
  recognitionFinished(report: EmbedReport): void;
  /** A job stopped on an error that is not about one file. */
  failed(error: ApiError, job: JobKind): void;
}

export class JobStatus {
  private readonly bar = byId("index-status");
  private readonly text = byId("index-text");
  private readonly fill = this.bar.querySelector<HTMLElement>(".progress-fill")!;
  private readonly meter = this.bar.querySelector<HTMLElement>(".progress")!;
  private lastCommitted = -1;

  constructor(private readonly on: JobStatusEvents) {
    byId("cancel-index").addEventListener("click", () => {
      this.text.textContent = "Cancelling…";
      api.cancelJobs(LIBRARY_JOBS).catch((e) => this.on.failed(asApiError(e), "index"));
    });
  }

  /** Starts listening; resolves once updates are being received. */
  listen(): Promise<unknown> {
    return api.onJob((update) => this.update(update));
  }

  /** Shows the bar at once for work the library reports under way (a window opened mid-run). */
  showRunning(info: LibraryInfo): void {
    if (info.indexing || info.searching || info.recognizing) this.bar.hidden = false;
  }

  /** Shows the bar at once when indexing was asked for, before its first progress arrives. */
  starting(): void {
    this.bar.hidden = false;
  }

  private update(u: JobUpdate): void {
    switch (u.event) {
      case "index_progress":
        return this.indexing(u.data);
      case "index_finished":
        this.done("indexing");
        return this.on.indexFinished(u.data);
      case "face_search_progress":
        return this.searching(u.data);
      case "face_search_finished":
        this.done("searching");
        return this.on.searchFinished(u.data);
      case "recognition_progress":
        return this.recognizing(u.data);
      case "recognition_finished":
        this.done("recognizing");
        return this.on.recognitionFinished(u.data);
      case "failed":
        if (LIBRARY_JOBS.includes(u.data.job)) {
          this.done("indexing");
          this.done("searching");
          this.done("recognizing");
        }
        return this.on.failed(new ApiError(u.data.error.code, u.data.error.message), u.data.job);
      case "avatars_progress":
      case "avatars_finished":
        return; // the People view's avatar control shows those
    }
  }

  private indexing(p: IndexProgress): void {
    const running = p.phase === "scanning" || p.phase === "indexing";
    this.bar.hidden = !running;
    byId("empty").hidden = true;
    this.show(p.done, p.total);
    const current = p.current ? ` · ${p.current.split(/[\\/]/).pop()}` : "";
    this.text.textContent = p.phase === "scanning" ? "Looking for photos…" : `${p.done} / ${p.total}${current}`;
    document.documentElement.dataset.indexing = String(running);
    if (p.committed !== this.lastCommitted) {
      this.lastCommitted = p.committed;
      this.on.photosCommitted();
    }
  }

  private searching(p: DetectProgress): void {
    this.bar.hidden = false;
    this.show(p.done, p.total);
    this.text.textContent = `Finding faces ${p.done} / ${p.total} · ${plural(p.faces, "face")}`;
    document.documentElement.dataset.searching = "true";
  }

  private recognizing(p: EmbedProgress): void {
    this.bar.hidden = false;
    this.show(p.done, p.total);
    this.text.textContent = `Recognizing faces ${p.done} / ${p.total}`;
    document.documentElement.dataset.recognizing = "true";
  }

  private show(done: number, total: number): void {
    this.fill.style.width = `${total > 0 ? Math.round((done / total) * 100) : 0}%`;
    this.meter.setAttribute("aria-valuemax", String(total));
    this.meter.setAttribute("aria-valuenow", String(done));
  }

  /** A job ended: the bar hides until the next one reports (the policy may start one). */
  private done(flag: "indexing" | "searching" | "recognizing"): void {
    this.bar.hidden = true;
    document.documentElement.dataset[flag] = "false";
  }
}

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError("internal", e instanceof Error ? e.message : String(e));
}
