// The Team dialog: join a team folder (after saying what it will hold), then the team panel:
// who is in it, how many decisions each made and when the latest arrived, the faces teammates
// named differently (one click picks, undoable), sync now, leave. The core decides what a
// team sees; this shows it.
import { api, faceCropUrlById, type SyncReport, type TeamStatus } from "../api";
import { byId } from "../dom";
import { saveDecision } from "../faces/decisions";
import { ago, plural } from "../text";

export { default as teamTemplate } from "./teamDialog.html?raw";

export class TeamDialog {
  private readonly dialog = byId<HTMLDialogElement>("team-dialog");
  private readonly folder = byId<HTMLInputElement>("team-folder");
  private readonly login = byId<HTMLInputElement>("team-login");
  private readonly error = byId("team-error");
  private status: TeamStatus | null = null;
  /** Leaving takes a second click: the first says what it does. */
  private leaving = false;

  constructor(
    private readonly onOpenPhoto: (photoId: number) => void,
    private readonly onChanged: () => void,
    private readonly onError: (message: string) => void,
  ) {
    byId("open-team").addEventListener("click", () => void this.open());
    byId("team-pick").addEventListener("click", () => void this.pick());
    byId("team-cancel").addEventListener("click", () => this.dialog.close());
    byId("team-close").addEventListener("click", () => this.dialog.close());
    byId("team-join-go").addEventListener("click", () => void this.join());
    byId("team-sync").addEventListener("click", () => void this.sync());
    byId("team-leave").addEventListener("click", () => void this.leave());
    this.login.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void this.join();
    });
  }

  async open(): Promise<void> {
    byId("team-sync-result").textContent = "";
    this.leaving = false;
    byId("team-leave").textContent = "Leave team";
    await this.refresh();
    if (!this.dialog.open) this.dialog.showModal();
    if (this.status) byId("team-close").focus();
    else (this.folder.value ? this.login : byId<HTMLButtonElement>("team-pick")).focus();
  }

  /** Reads the team again; redraws the dialog (when open) and the top bar's conflict count. */
  async refresh(): Promise<void> {
    try {
      this.status = await api.teamStatus();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
      return;
    }
    const conflicts = this.status?.conflicts.length ?? 0;
    byId("team-badge").textContent = conflicts ? String(conflicts) : "";
    byId("open-team").title = this.status
      ? `Team: ${plural(this.status.members.length, "organizer")}${conflicts ? `, ${plural(conflicts, "conflict")} to settle` : ""}`
      : "Name this event with the other organizers (T)";
    document.documentElement.dataset.team = this.status ? "joined" : "none";
    this.render();
  }

  /** What a sync brought, for the panel and a toast. */
  describe(report: SyncReport): string {
    const parts = [`${plural(report.applied, "decision")} from teammates`];
    if (report.waiting) parts.push(`${plural(report.waiting, "decision")} waiting for photos this library lacks or has not searched for faces yet`);
    if (report.conflicts) parts.push(`${plural(report.conflicts, "conflict")} to settle`);
    if (report.repaired || report.folded)
      parts.push(`your log repaired: ${plural(report.repaired, "record")} written again, ${plural(report.folded, "conflict copy", "conflict copies")} folded back`);
    if (report.errors.length)
      parts.push(
        `${plural(report.errors.length, "problem")}: ${report.errors
          .map((e) => `${e.login ? `@${e.login}'s ` : ""}${e.file}${e.line ? `, line ${e.line}` : ""}: ${e.error}`)
          .join("; ")}`,
      );
    return parts.join(" · ");
  }

  private render(): void {
    const joined = this.status !== null;
    byId("team-join").hidden = joined;
    byId("team-panel").hidden = !joined;
    if (!this.status) return;
    byId("team-folder-shown").textContent = this.status.folder;
    byId("team-me").textContent = `@${this.status.me}`;
    byId("team-members").replaceChildren(
      ...this.status.members.map((m) => {
        const tr = document.createElement("tr");
        tr.dataset.login = m.login;
        for (const text of [`@${m.login}`, String(m.decisions), m.last ? ago(m.last) : "—"]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        }
        return tr;
      }),
    );
    const conflicts = this.status.conflicts;
    byId("team-conflict-count").textContent = conflicts.length ? `(${conflicts.length})` : "(none)";
    byId("team-conflicts").replaceChildren(
      ...conflicts.map((c) => {
        const li = document.createElement("li");
        li.dataset.faceId = String(c.face);
        const crop = document.createElement("img");
        crop.src = faceCropUrlById(c.face);
        crop.alt = "";
        crop.className = "team-crop";
        li.appendChild(crop);
        for (const name of c.names) {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "ghost small conflict-pick";
          b.dataset.login = name.login;
          b.textContent = `@${name.login}, by @${name.by}`;
          b.addEventListener("click", () => void this.settle(c.photo, c.face, name.login));
          li.appendChild(b);
        }
        const show = document.createElement("button");
        show.type = "button";
        show.className = "ghost small";
        show.textContent = "Open photo";
        show.addEventListener("click", () => {
          this.dialog.close();
          this.onOpenPhoto(c.photo);
        });
        li.appendChild(show);
        return li;
      }),
    );
  }

  private async pick(): Promise<void> {
    const folder = await api.pickFolder("Team folder (one your sync tool carries)");
    if (folder) {
      this.folder.value = folder;
      this.login.focus();
    }
  }

  /** Joins `folder` as `login`: what the window does after the folder picker (tests call it). */
  async joinAt(folder: string, login: string): Promise<void> {
    this.folder.value = folder;
    this.login.value = login;
    await this.join();
  }

  private async join(): Promise<void> {
    this.error.hidden = true;
    const folder = this.folder.value.trim();
    const login = this.login.value.trim().replace(/^@/, "");
    if (!folder || !login) {
      this.error.hidden = false;
      this.error.textContent = !folder ? "Choose the team folder first." : "Type your GitHub login: teammates see who named what.";
      return;
    }
    try {
      const report = await api.joinTeam(folder, login);
      await this.refresh();
      byId("team-sync-result").textContent = `Joined. ${this.describe(report)}`;
      this.onChanged();
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = e instanceof Error ? e.message : String(e);
    }
  }

  private async sync(): Promise<void> {
    try {
      const report = await api.syncTeam();
      byId("team-sync-result").textContent = this.describe(report);
      await this.refresh();
      this.onChanged();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  private async settle(photoId: number, faceId: number, login: string): Promise<void> {
    try {
      await saveDecision(photoId, { kind: "tag", face: faceId, login }, `pick @${login}`);
      await this.refresh();
      this.onChanged();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  private async leave(): Promise<void> {
    if (!this.leaving) {
      this.leaving = true;
      byId("team-leave").textContent = "Leave: click again";
      byId("team-sync-result").textContent =
        "Leaving stops writing to and reading the team folder. This library keeps every face and attendee as they are; your decisions stay in the folder for the others.";
      return;
    }
    this.leaving = false;
    byId("team-leave").textContent = "Leave team";
    try {
      const left = await api.leaveTeam();
      await this.refresh();
      // The join form shows now: what leaving did is said there.
      this.error.hidden = false;
      this.error.textContent =
        `Left ${left.folder}. This laptop keeps its place (${left.laptop}): joining again as @${left.me} sends only what changed meanwhile.` +
        (left.unsent ? ` ${plural(left.unsent, "decision")} could not reach the folder: they travel when you join again.` : "");
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }
}
