// Groups: untagged faces that look alike (the core groups them), largest group first, each a
// strip of crops. Name a group to tag every face in it at once; click a crop that does not
// belong, or drag it out of its strip, to take it out; drag it onto another group to move it
// there; tick two groups or more to merge them. Each of these is one step of undo. The typeahead ranks for the group's first face, so its suggestion comes first.
import { api, avatarImage, faceCropUrlById, type Group } from "../api";
import { lastRoster } from "../roster";
import { history } from "../history";
import { plural } from "../text";
import { byId } from "../dom";
import { saveDecisions } from "./decisions";
import { Typeahead } from "./typeahead";

export { default as groupsTemplate } from "./groups.html?raw";

export class GroupsView {
  private groups: Group[] = [];
  private readonly list = byId("groups-list");
  private readonly merge = byId<HTMLButtonElement>("groups-merge");
  private readonly typeahead: Typeahead;
  private readonly ticked = new Set<number>();

  constructor(
    private readonly root: HTMLElement,
    private readonly onError: (message: string) => void,
    private readonly onChanged: () => void,
    private readonly onSaved: (message: string) => void,
  ) {
    this.typeahead = new Typeahead(root);
    this.merge.addEventListener("click", () => void this.mergeTicked());
    this.list.addEventListener("click", (e) => this.onClick(e));
    this.listenForDrags();
    history.onChange(() => {
      if (!this.root.hidden) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      this.groups = await api.faceGroups();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
      return;
    }
    const ids = new Set(this.groups.map((g) => g.id));
    for (const id of [...this.ticked]) if (!ids.has(id)) this.ticked.delete(id);
    this.render();
  }

  private render(): void {
    this.list.dataset.count = String(this.groups.length);
    byId("groups-empty").hidden = this.groups.length > 0;
    byId("groups-total").textContent = this.groups.length ? `· ${plural(this.groups.length, "group")}` : "";
    this.list.replaceChildren(...this.groups.map((g) => this.row(g)));
    this.merge.disabled = this.ticked.size < 2;
  }

  private row(group: Group): HTMLElement {
    const row = document.createElement("section");
    row.className = "group-row";
    row.dataset.groupId = String(group.id);
    const head = document.createElement("div");
    head.className = "group-head";
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.className = "group-tick";
    tick.checked = this.ticked.has(group.id);
    tick.setAttribute("aria-label", `Select this group of ${group.size} faces to merge`);
    tick.addEventListener("change", () => {
      if (tick.checked) this.ticked.add(group.id);
      else this.ticked.delete(group.id);
      this.merge.disabled = this.ticked.size < 2;
    });
    const title = document.createElement("span");
    title.className = "group-title";
    title.textContent = plural(group.size, "face");
    const hint = document.createElement("span");
    hint.className = "muted";
    hint.textContent = group.suggestion ? `looks like @${group.suggestion}?` : "";
    const suggested = lastRoster()?.find((p) => p.login === group.suggestion);
    const avatar = suggested ? avatarImage(suggested) : null;
    if (avatar) hint.prepend(avatar, " ");
    const name = document.createElement("button");
    name.type = "button";
    name.className = "primary small group-name";
    name.textContent = "Name this group…";
    head.append(tick, title, hint, name);
    const strip = document.createElement("div");
    strip.className = "group-strip";
    for (const f of group.faces) {
      const crop = document.createElement("button");
      crop.type = "button";
      crop.className = "group-face";
      crop.dataset.faceId = String(f.face);
      crop.title = "Not the same person: click or drag out to take this face out of the group, or drag it onto another group";
      crop.draggable = true;
      const img = document.createElement("img");
      img.alt = "";
      img.loading = "lazy";
      img.src = faceCropUrlById(f.face);
      crop.appendChild(img);
      strip.appendChild(crop);
    }
    row.append(head, strip);
    return row;
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>(".group-row");
    const group = this.groups.find((g) => g.id === Number(row?.dataset.groupId));
    if (!row || !group) return;
    const crop = target.closest<HTMLElement>(".group-face");
    if (crop) void this.regroup([{ face: Number(crop.dataset.faceId), group: null }], "take a face out of a group");
    else if (target.closest(".group-name")) this.name(group, row);
  }

  /**
   * A crop dragged onto another group's row moves there; dropped anywhere else in the view
   * (outside its own row) it leaves its group.
   */
  private listenForDrags(): void {
    let dragged: { face: number; from: number } | null = null;
    const rowUnder = (e: DragEvent): HTMLElement | null =>
      (e.target as HTMLElement | null)?.closest<HTMLElement>(".group-row") ?? null;
    const clearMarks = (): void => {
      for (const r of this.list.querySelectorAll(".drop-target")) r.classList.remove("drop-target");
    };
    this.list.addEventListener("dragstart", (e) => {
      const crop = (e.target as HTMLElement).closest<HTMLElement>(".group-face");
      const row = crop?.closest<HTMLElement>(".group-row");
      if (!crop || !row || !e.dataTransfer) return;
      dragged = { face: Number(crop.dataset.faceId), from: Number(row.dataset.groupId) };
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", crop.dataset.faceId ?? "");
    });
    this.root.addEventListener("dragover", (e) => {
      if (!dragged) return;
      const row = rowUnder(e);
      clearMarks();
      if (row && Number(row.dataset.groupId) === dragged.from) return;
      e.preventDefault();
      row?.classList.add("drop-target");
    });
    this.root.addEventListener("dragleave", clearMarks);
    this.root.addEventListener("drop", (e) => {
      if (!dragged) return;
      e.preventDefault();
      clearMarks();
      const row = rowUnder(e);
      const to = row ? Number(row.dataset.groupId) : null;
      const face = dragged.face;
      dragged = null;
      if (to === null) void this.regroup([{ face, group: null }], "take a face out of a group");
      else void this.regroup([{ face, group: to }], "move a face to another group");
    });
    this.root.addEventListener("dragend", () => {
      dragged = null;
      clearMarks();
    });
  }

  private name(group: Group, row: HTMLElement): void {
    const first = group.faces[0];
    const a = row.getBoundingClientRect();
    const r = this.root.getBoundingClientRect();
    // Under the strip, so the faces being named stay in view.
    this.typeahead.open({
      left: a.left - r.left + 12,
      top: a.bottom - r.top + 6,
      text: "",
      photoId: first.photo,
      faceId: first.face,
      onAccept: (login) => void this.tagAll(group, login),
      onCancel: () => row.querySelector<HTMLElement>(".group-name")?.focus(),
    });
  }

  private async tagAll(group: Group, login: string): Promise<void> {
    try {
      await saveDecisions(
        group.faces.map((f) => ({ photo_id: f.photo, decision: { kind: "tag", face: f.face, login } })),
        `name ${plural(group.size, "face")} @${login}`,
      );
      this.onSaved(`${plural(group.size, "face")} named @${login} (Ctrl+Z undoes)`);
      this.onChanged();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
    await this.load();
  }

  private async mergeTicked(): Promise<void> {
    const chosen = this.groups.filter((g) => this.ticked.has(g.id));
    if (chosen.length < 2) return;
    const [into, ...rest] = chosen;
    const changes = rest.flatMap((g) => g.faces.map((f) => ({ face: f.face, group: into.id })));
    this.ticked.clear();
    await this.regroup(changes, `merge ${plural(chosen.length, "group")}`);
  }

  /** Applies group changes and records their undo as one step. */
  private async regroup(changes: { face: number; group: number | null }[], label: string): Promise<void> {
    try {
      let back = await api.regroupFaces(changes);
      const flip = async (): Promise<void> => {
        back = await api.regroupFaces(back);
      };
      history.record({ label, undo: flip, redo: flip });
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
    await this.load();
  }

  get isEditing(): boolean {
    return this.typeahead.isOpen;
  }
}
