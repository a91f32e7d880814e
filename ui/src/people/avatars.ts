// Getting attendees' avatars: from GitHub only after the organizer confirms what will be sent
// (the core lists who; no-tag attendees never), or from a folder of LOGIN.jpg|png|webp; in the
// background with progress and cancel; each attendee who got none is listed with the reason.
import { api, type AvatarPlan, type AvatarProgress, type AvatarReport } from "../api";
import { plural } from "../text";
import { byId } from "../dom";

export class AvatarsControl {
  private readonly status = byId("avatars-status");
  private readonly progress = byId<HTMLProgressElement>("avatars-progress");
  private readonly text = byId("avatars-progress-text");
  private readonly cancel = byId<HTMLButtonElement>("avatars-cancel");
  private readonly confirm = byId<HTMLDialogElement>("avatars-confirm");
  private readonly refresh = byId<HTMLInputElement>("avatars-refresh");

  constructor(
    private readonly onError: (message: string) => void,
    private readonly onDone: (message: string) => void,
  ) {
    byId("avatars-fetch").addEventListener("click", () => void this.askToFetch());
    byId("avatars-folder").addEventListener("click", () => void this.fromFolder());
    this.refresh.addEventListener("change", () => void this.describe());
    this.cancel.addEventListener("click", () => {
      this.cancel.disabled = true;
      this.text.textContent = "Cancelling…";
      void api.cancelJobs(["avatars"]);
    });
    this.confirm.addEventListener("close", () => {
      if (this.confirm.returnValue === "go") void this.start({ kind: "fetch", refresh: this.refresh.checked });
    });
    void api.onJob((u) => {
      if (u.event === "avatars_progress") this.showProgress(u.data);
      else if (u.event === "avatars_finished") this.finished(u.data);
      else if (u.event === "failed" && u.data.job === "avatars") this.stopped(u.data.error.message);
    });
  }

  private async askToFetch(): Promise<void> {
    this.refresh.checked = false;
    if (await this.describe()) this.confirm.showModal();
  }

  /** Says exactly what a download would send; false when the roster could not be read. */
  private async describe(): Promise<boolean> {
    let plan: AvatarPlan;
    try {
      plan = await api.avatarPlan(this.refresh.checked);
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
      return false;
    }
    const go = byId<HTMLButtonElement>("avatars-confirm-go");
    go.disabled = plan.logins === 0;
    const left = plan.no_tag ? ` ${plural(plan.no_tag, "attendee")} who asked not to be tagged ${plan.no_tag === 1 ? "is" : "are"} left out.` : "";
    byId("avatars-confirm-text").textContent =
      plan.logins === 0
        ? `Every attendee who may be tagged already has an avatar.${left}`
        : `Download the public avatar of ${plural(plan.logins, "attendee")} from ${plan.host}; nothing else is sent (each request names one login).${left}`;
    go.textContent = plan.logins ? `Download ${plural(plan.logins, "avatar")}` : "Download";
    return true;
  }

  private async fromFolder(): Promise<void> {
    const folder = await api.pickFolder("Folder of avatars named LOGIN.jpg, .png or .webp");
    if (folder) await this.start({ kind: "folder", path: folder });
  }

  private async start(request: { kind: "fetch"; refresh: boolean } | { kind: "folder"; path: string }): Promise<void> {
    try {
      await api.startAvatars(request);
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
      return;
    }
    byId("avatars-failed").hidden = true;
    this.cancel.disabled = false;
    this.cancel.hidden = false;
    this.status.hidden = false;
    this.text.textContent = "Getting avatars…";
    this.progress.hidden = false;
    this.progress.value = 0;
  }

  private showProgress(p: AvatarProgress): void {
    this.status.hidden = false;
    this.progress.max = Math.max(p.total, 1);
    this.progress.value = p.done;
    this.text.textContent = `Avatars ${p.done} of ${p.total}${p.current ? ` · @${p.current}` : ""}`;
  }

  /** The run stopped on an error that is not about one attendee (the shell shows it too). */
  private stopped(message: string): void {
    this.cancel.hidden = true;
    this.progress.hidden = true;
    this.text.textContent = `Avatars stopped: ${message}`;
  }

  private finished(r: AvatarReport): void {
    this.cancel.hidden = true;
    this.progress.hidden = true;
    const got = r.fetched + r.imported;
    const summary = `${plural(got, "avatar")} ${r.fetched ? "fetched" : "imported"}, ${r.with_face} with one face${r.cancelled ? " (cancelled)" : ""}`;
    this.text.textContent = summary;
    const failed = byId("avatars-failed");
    failed.hidden = r.failed.length === 0;
    byId("avatars-failed-summary").textContent = `${plural(r.failed.length, "attendee")} without an avatar`;
    byId("avatars-failed-list").replaceChildren(
      ...r.failed.map((f) => {
        const li = document.createElement("li");
        li.textContent = `@${f.login}: ${f.error}`;
        return li;
      }),
    );
    this.onDone(summary);
  }
}
