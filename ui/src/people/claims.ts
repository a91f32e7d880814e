// Answers from attendees ("claims"), in the People view: import the `gh issue list` file or fetch
// from GitHub after saying exactly what will be requested; each answer listed with its badges
// (self, the consent it asks, not in the roster, conflict, dispute, withdrawn, accepted), a link
// to its issue, Accept and Reject (Enter or A, R on a row); an accepted answer can still be
// rejected, which takes its name back. The core decides every state; this only shows it.
import { api, ApiError, type ClaimReport, type ClaimView } from "../api";
import { byId } from "../dom";
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

  private claims: ClaimView[] = [];

  async refresh(): Promise<void> {
    const claims = await api.listClaims();
    this.claims = claims;
    const open = claims.filter((c) => DECIDABLE.has(c.state)).length;
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
    byId<HTMLInputElement>("claims-repo").value = (await api.eventRepository().catch(() => null)) ?? "";
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
    byId("claims-result").textContent =
      `${plural(r.read, "issue")} read: ${plural(r.claims, "answer")} kept; ${r.self} from attendees about themselves` +
      (r.consent ? `; ${plural(r.consent, "privacy request")} applied at once` : "") +
      (r.withdrawn ? `; ${r.withdrawn} withdrawn` : "") +
      (r.errors.length ? `; ${plural(r.errors.length, "issue")} not taken (below)` : "") +
      `.${stopped ? ` Stopped early: ${stopped}.` : ""}`;
    byId("claims-errors").replaceChildren(
      ...r.errors.map((e) => {
        const li = document.createElement("li");
        li.textContent = `#${e.issue}: ${e.error}`;
        return li;
      }),
    );
  }

  private async act(issue: number, action: string): Promise<void> {
    try {
      if (action === "accept") await acceptClaim(issue, this.claims.find((c) => c.issue === issue)?.lowers ?? null);
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

/** The states the organizer still decides. */
const DECIDABLE = new Set(["open", "conflict", "dispute"]);

function row(c: ClaimView): HTMLLIElement {
  const li = document.createElement("li");
  li.tabIndex = 0;
  li.dataset.issue = String(c.issue);
  li.dataset.state = c.state;
  li.className = c.state;
  const badge = (text: string, kind: string, title = "") => {
    const b = document.createElement("span");
    b.className = `badge ${kind}`;
    b.textContent = text;
    if (title) b.title = title;
    return b;
  };
  const text = document.createElement("span");
  const named = c.name ? `${c.name} (@${c.login})` : `@${c.login}`;
  text.textContent = c.self ? `@${c.by} says this is them` : `@${c.by} says this is ${named}`;
  const parts: HTMLElement[] = [];
  if (c.self) parts.push(badge("self", "self"));
  parts.push(text);
  if (c.consent) parts.push(badge(`asks ${c.consent}`, "consent"));
  if (!c.roster) parts.push(badge("not in the roster", "unknown", `@${c.login} is not an attendee yet: accepting adds them`));
  if (c.state === "conflict") parts.push(badge(`conflict: @${c.against ?? "?"}`, "conflict"));
  if (c.state === "dispute")
    parts.push(badge(`disputes @${c.against ?? "?"}`, "conflict", `The name is withheld from exports until you decide: Accept takes @${c.against ?? "?"} off the face, Reject keeps it`));
  if (c.lowers) parts.push(badge(`is ${c.lowers.from} now`, "lowers", `Accepting asks you whether to make @${c.lowers.login} ${c.lowers.to}`));
  if (c.state === "accepted" || c.state === "rejected" || c.state === "withdrawn") parts.push(badge(c.state, c.state, c.reason ?? ""));
  if (c.reason) {
    const why = document.createElement("span");
    why.className = "muted reason";
    why.textContent = c.reason;
    parts.push(why);
  }
  const spacer = document.createElement("div");
  spacer.className = "spacer";
  parts.push(spacer);
  if (c.url) {
    const link = document.createElement("button");
    link.type = "button";
    link.className = "ghost small";
    link.dataset.action = "open";
    link.textContent = `issue #${c.issue}`;
    link.title = c.url;
    parts.push(link);
  } else {
    parts.push(badge(`#${c.issue}`, "issue", "Not an issue of the event's repository"));
  }
  const actions: [string, string][] = DECIDABLE.has(c.state)
    ? [
        ["accept", c.state === "dispute" ? "Accept (unname)" : "Accept"],
        ["reject", "Reject"],
      ]
    : c.state === "accepted"
      ? [["reject", "Reject"]]
      : [];
  for (const [action, label] of actions) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = action === "accept" ? "small primary" : "small";
    b.dataset.action = action;
    b.textContent = label;
    if (action === "reject" && c.state === "accepted") b.title = "Takes the name its accept put on the face back";
    parts.push(b);
  }
  li.append(...parts);
  return li;
}

function message(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}
