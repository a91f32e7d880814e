// Answers from attendees ("claims"), in the People view: import the `gh issue list` file or fetch
// from GitHub after saying exactly what will be requested; each answer listed with its badge
// (self, conflict, accepted), a link to its issue, Accept and Reject (Enter or A, R on a row).
import { api, ApiError, type ClaimReport, type ClaimView } from "../api";
import { byId } from "../dom";
import { REPO_KEY } from "../exports/exportDialog";
import { acceptClaim, rejectClaim } from "../faces/decisions";
import { plural } from "../text";

export class ClaimsPanel {
  private readonly list = byId<HTMLUListElement>("claims-list");
  private readonly dialog = byId<HTMLDialogElement>("claims-dialog");
  private fetching = false;

  constructor(
    private readonly onChanged: () => void,
    private readonly onError: (message: string) => void,
  ) {
    byId("claims-import").addEventListener("click", () => void this.pickAndImport());
    byId("claims-fetch").addEventListener("click", () => void this.openFetch());
    byId("claims-repo").addEventListener("input", () => void this.showPlan());
    byId("claims-cancel").addEventListener("click", () => {
      if (this.fetching) void api.cancelClaimsFetch();
      else this.dialog.close();
    });
    byId<HTMLFormElement>("claims-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.fetch();
    });
    this.list.addEventListener("click", (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
      const li = b?.closest<HTMLElement>("li[data-issue]");
      if (b && li) void this.act(Number(li.dataset.issue), b.dataset.action ?? "");
    });
    this.list.addEventListener("keydown", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-issue]");
      if (!li || e.ctrlKey || e.metaKey || e.altKey) return;
      const key = e.key.toLowerCase();
      const action = key === "enter" || key === "a" ? "accept" : key === "r" ? "reject" : null;
      if (!action) return;
      e.preventDefault();
      void this.act(Number(li.dataset.issue), action);
    });
  }

  async refresh(): Promise<void> {
    const claims = await api.listClaims();
    const open = claims.filter((c) => c.state === "open" || c.state === "conflict").length;
    byId("claims-count").textContent = open ? String(open) : "";
    byId("claims-panel").dataset.claims = String(claims.length);
    this.list.replaceChildren(...claims.map((c) => row(c)));
  }

  /** Imports the answers from `path` (what the file picker returned). */
  async importFrom(path: string): Promise<void> {
    try {
      this.showReport(await api.importClaims(path), null);
    } catch (e) {
      this.onError(message(e));
    }
    await this.refresh();
    this.onChanged();
  }

  private async pickAndImport(): Promise<void> {
    const path = await api.pickClaimsFile();
    if (path) await this.importFrom(path);
  }

  private async openFetch(): Promise<void> {
    byId<HTMLInputElement>("claims-repo").value = localStorage.getItem(REPO_KEY) ?? "";
    byId("claims-progress").hidden = true;
    byId<HTMLButtonElement>("claims-go").disabled = false;
    this.dialog.showModal();
    await this.showPlan();
  }

  /** Says exactly what will be requested, before anything is sent. */
  private async showPlan(): Promise<void> {
    const repo = byId<HTMLInputElement>("claims-repo").value.trim();
    const plan = byId("claims-plan");
    const go = byId<HTMLButtonElement>("claims-go");
    if (!repo) {
      plan.textContent = "Which repository holds the answers (OWNER/REPO)?";
      go.disabled = true;
      return;
    }
    try {
      const p = await api.claimsFetchPlan(repo);
      plan.textContent =
        `whoiswho will ask ${p.url} (and the next pages GitHub points to), ` +
        `for the issues labelled whoiswho-claim. Nothing else is sent${p.token ? " but your GITHUB_TOKEN, for the rate limit" : ""}.`;
      go.disabled = false;
    } catch (e) {
      plan.textContent = message(e);
      go.disabled = true;
    }
  }

  private async fetch(): Promise<void> {
    const repo = byId<HTMLInputElement>("claims-repo").value.trim();
    localStorage.setItem(REPO_KEY, repo);
    const progress = byId("claims-progress");
    progress.hidden = false;
    progress.textContent = `Asking GitHub for the answers in ${repo}…`;
    byId<HTMLButtonElement>("claims-go").disabled = true;
    byId("claims-cancel").textContent = "Stop";
    this.fetching = true;
    const poll = window.setInterval(() => {
      void api.claimsFetchProgress().then(([pages, issues]) => {
        if (this.fetching && pages > 0) {
          progress.textContent = `${plural(pages, "page")} read, ${plural(issues, "issue")} so far…`;
        }
      });
    }, 300);
    try {
      const r = await api.fetchClaims(repo);
      this.showReport(r.report, r.stopped);
      this.dialog.close();
    } catch (e) {
      progress.textContent = message(e);
    } finally {
      window.clearInterval(poll);
      this.fetching = false;
      byId("claims-cancel").textContent = "Cancel";
      byId<HTMLButtonElement>("claims-go").disabled = false;
    }
    await this.refresh();
    this.onChanged();
  }

  private showReport(r: ClaimReport, stopped: string | null): void {
    const errors = r.errors.length
      ? ` ${plural(r.errors.length, "issue")} not taken: ${r.errors
          .slice(0, 3)
          .map((e) => `#${e.issue} ${e.error}`)
          .join("; ")}${r.errors.length > 3 ? "; …" : ""}`
      : "";
    byId("claims-result").textContent =
      `${plural(r.read, "issue")} read: ${plural(r.claims, "answer")} kept; ${r.self} from attendees about themselves` +
      (r.consent ? `; ${plural(r.consent, "consent change")} applied at once` : "") +
      `.${errors}${stopped ? ` Stopped early: ${stopped}.` : ""}`;
  }

  private async act(issue: number, action: string): Promise<void> {
    try {
      if (action === "accept") await acceptClaim(issue);
      else if (action === "reject") await rejectClaim(issue);
      else if (action === "open") await api.openIssue(issue);
      else return;
    } catch (e) {
      this.onError(message(e));
    }
    await this.refresh();
    this.list.querySelector<HTMLElement>(`li[data-issue="${issue}"]`)?.focus();
    if (action !== "open") this.onChanged();
  }
}

function row(c: ClaimView): HTMLLIElement {
  const li = document.createElement("li");
  li.tabIndex = 0;
  li.dataset.issue = String(c.issue);
  li.dataset.state = c.state;
  li.className = c.state;
  const badge = (text: string, kind: string) => {
    const b = document.createElement("span");
    b.className = `badge ${kind}`;
    b.textContent = text;
    return b;
  };
  const text = document.createElement("span");
  const named = c.name ? `${c.name} (@${c.login})` : `@${c.login}`;
  text.textContent = c.self ? `@${c.by} says this is them` : `@${c.by} says this is ${named}`;
  const parts: HTMLElement[] = [];
  if (c.self) parts.push(badge("self", "self"));
  parts.push(text);
  if (c.self && c.consent !== "ok") parts.push(badge(c.consent, "consent"));
  if (c.state === "conflict") parts.push(badge(`conflict: @${c.against ?? "?"}`, "conflict"));
  if (c.state === "accepted" || c.state === "rejected") parts.push(badge(c.state, c.state));
  const link = document.createElement("button");
  link.type = "button";
  link.className = "ghost small";
  link.dataset.action = "open";
  link.textContent = `issue #${c.issue}`;
  link.title = c.url;
  const spacer = document.createElement("div");
  spacer.className = "spacer";
  parts.push(link, spacer);
  if (c.state === "open" || c.state === "conflict") {
    for (const [action, label] of [["accept", "Accept"], ["reject", "Reject"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = action === "accept" ? "small primary" : "small";
      b.dataset.action = action;
      b.textContent = label;
      parts.push(b);
    }
  }
  li.append(...parts);
  return li;
}

function message(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}
