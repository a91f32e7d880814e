// The person page's review of suggestions: every face suggested as them, best match first, each
// ticked; untick the wrong ones, then accept the rest in one step (one undo takes it back).
// Double-click a face to see it on its photo.
import { api, faceCropUrl, type FaceOnPhoto } from "../api";
import { saveDecisions } from "../faces/decisions";
import { byId } from "../dom";
import { plural } from "../text";

export class PersonSuggestions {
  private readonly root = byId("person-suggestions");
  private readonly strip = byId("person-suggestion-strip");
  private readonly accept = byId<HTMLButtonElement>("person-suggestions-accept");
  private login: string | null = null;
  private faces: FaceOnPhoto[] = [];
  private readonly unticked = new Set<number>();

  constructor(
    private readonly on: {
      onChanged: () => void;
      onError: (e: unknown) => void;
      onOpenPhoto: (photoId: number) => void;
      onSaved: (message: string) => void;
    },
  ) {
    this.accept.addEventListener("click", () => void this.acceptTicked());
  }

  /** Shows the suggestions of `login` (none: hidden). */
  async show(login: string | null): Promise<void> {
    if (login !== this.login) this.unticked.clear();
    this.login = login;
    this.faces = login ? await api.personSuggestions(login) : [];
    if (login !== this.login) return;
    this.render();
  }

  private render(): void {
    this.root.hidden = this.faces.length === 0;
    this.root.dataset.count = String(this.faces.length);
    byId("person-suggestions-title").textContent = `Suggested as @${this.login ?? ""}: ${plural(this.faces.length, "face")}`;
    this.strip.replaceChildren(...this.faces.map((f) => this.tile(f)));
    const ticked = this.faces.filter((f) => !this.unticked.has(f.face.id)).length;
    this.accept.textContent = `Accept ${plural(ticked, "face")}`;
    this.accept.disabled = ticked === 0;
  }

  private tile(item: FaceOnPhoto): HTMLElement {
    const label = document.createElement("label");
    label.className = "suggestion-tile";
    label.dataset.faceId = String(item.face.id);
    label.dataset.photoId = String(item.photo_id);
    const score = item.face.suggestion?.score ?? 0;
    label.title = `Match ${Math.round(score * 100)}%; double-click to see the photo`;
    const img = document.createElement("img");
    img.alt = "";
    img.loading = "lazy";
    img.src = faceCropUrl(item.face);
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !this.unticked.has(item.face.id);
    box.setAttribute("aria-label", `Face on photo ${item.photo_id}, match ${Math.round(score * 100)}%`);
    box.addEventListener("change", () => {
      if (box.checked) this.unticked.delete(item.face.id);
      else this.unticked.add(item.face.id);
      this.render();
    });
    label.addEventListener("dblclick", () => this.on.onOpenPhoto(item.photo_id));
    label.append(img, box);
    return label;
  }

  private async acceptTicked(): Promise<void> {
    const ticked = this.faces.filter((f) => !this.unticked.has(f.face.id));
    if (!ticked.length || !this.login) return;
    const login = this.login;
    try {
      await saveDecisions(
        ticked.map((f) => ({ photo_id: f.photo_id, decision: { kind: "accept", face: f.face.id } })),
        `accept ${plural(ticked.length, "face")} as @${login}`,
      );
      this.on.onSaved(`${plural(ticked.length, "face")} named @${login} (Ctrl+Z undoes)`);
      this.on.onChanged();
    } catch (e) {
      this.on.onError(e);
    }
    await this.show(login).catch(this.on.onError);
  }
}
