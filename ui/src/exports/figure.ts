// "Export figure": edit the prefilled caption and alt text, pick a size, save a web-sized image,
// and copy the snippet (Hugo, Markdown or HTML) for the post.
import { api, ApiError, type FigureExport, type FigureRequest } from "../api";
import { plural } from "../text";
import { byId } from "../dom";

export { default as figureTemplate } from "./figure.html?raw";

type Flavour = "hugo" | "markdown" | "html";


export class FigureDialog {
  private readonly dialog = byId<HTMLDialogElement>("figure-dialog");
  private photoId = -1;
  private fileName = "figure.jpg";
  private result: FigureExport | null = null;
  private flavour: Flavour = "hugo";

  constructor() {
    byId<HTMLFormElement>("figure-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.save();
    });
    byId("fig-close").addEventListener("click", () => this.dialog.close());
    byId("fig-copy").addEventListener("click", () => this.copy());
    byId("fig-event").addEventListener("change", () => void this.prefill(true));
    byId("fig-legend").addEventListener("change", () => {
      byId("fig-legend-fields").hidden = !byId<HTMLInputElement>("fig-legend").checked;
      if (!byId<HTMLInputElement>("fig-title").value) {
        byId<HTMLInputElement>("fig-title").value = byId<HTMLInputElement>("fig-event").value;
      }
      this.previewSoon();
    });
    byId("fig-crop").addEventListener("change", () => this.previewSoon());
    for (const id of ["fig-caption", "fig-title", "fig-date"]) {
      byId(id).addEventListener("input", () => this.previewSoon());
    }
    for (const b of this.dialog.querySelectorAll<HTMLButtonElement>("[data-snippet]")) {
      b.addEventListener("click", () => this.show(b.dataset.snippet as Flavour));
    }
  }

  async open(photoId: number, fileName: string): Promise<void> {
    this.photoId = photoId;
    this.fileName = fileName.replace(/\.[^.]+$/, "") + "-figure.jpg";
    this.result = null;
    byId("fig-result").hidden = true;
    byId("fig-copy").hidden = true;
    byId("fig-error").hidden = true;
    // The library's event (set in the Post view), for this figure only if changed here.
    byId<HTMLInputElement>("fig-event").value = (await api.getEvent().catch(() => null))?.name ?? "";
    await this.prefill(false);
    this.dialog.showModal();
    byId("fig-caption").focus();
    this.previewSoon();
  }

  private request(): FigureRequest {
    const legend = byId<HTMLInputElement>("fig-legend").checked;
    const text = (id: string) => byId<HTMLInputElement>(id).value.trim() || null;
    return {
      caption: byId<HTMLTextAreaElement>("fig-caption").value,
      alt: byId<HTMLTextAreaElement>("fig-alt").value,
      long_side: Number(byId<HTMLSelectElement>("fig-size").value),
      quality: Math.min(100, Math.max(1, Number(byId<HTMLInputElement>("fig-quality").value) || 85)),
      legend: legend ? { title: text("fig-title"), date: text("fig-date"), caption: null } : null,
      crop_to_people: legend && byId<HTMLInputElement>("fig-crop").checked,
    };
  }

  private previewTimer = 0;
  private previewGeneration = 0;

  /** Shows what will be saved, a moment after the last change. */
  private previewSoon(): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = window.setTimeout(() => {
      const generation = ++this.previewGeneration;
      const img = byId<HTMLImageElement>("fig-preview");
      api
        .previewFigure(this.photoId, this.request())
        .then((url) => {
          if (generation !== this.previewGeneration) return;
          img.src = url;
          img.hidden = false;
        })
        .catch((e: Error) => {
          byId("fig-error").hidden = false;
          byId("fig-error").textContent = `Preview failed: ${e.message}`;
        });
    }, 250);
  }

  /** Fills caption and alt from the people on the photo; an edited caption is kept unless the
   *  event changed. */
  private async prefill(eventChanged: boolean): Promise<void> {
    const event = byId<HTMLInputElement>("fig-event").value.trim();
    const draft = await api.figureDraft(this.photoId, event || null);
    const caption = byId<HTMLTextAreaElement>("fig-caption");
    const alt = byId<HTMLTextAreaElement>("fig-alt");
    if (!eventChanged || caption.dataset.prefilled === caption.value) {
      caption.value = draft.caption;
      caption.dataset.prefilled = draft.caption;
    }
    if (!eventChanged) alt.value = draft.alt;
    byId("fig-consent").textContent = draft.blurred
      ? `${plural(draft.blurred, "person", "people")} who chose no-publish will be blurred and left unnamed.`
      : `${plural(draft.named, "person", "people")} named; nobody needs blurring.`;
  }

  private async save(): Promise<void> {
    let path: string | null;
    try {
      path = await api.pickExportFile(this.fileName);
    } catch (e) {
      // The save dialog failing is not the organizer cancelling it.
      const error = byId("fig-error");
      error.hidden = false;
      error.textContent = `Could not open the save dialog: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (path) await this.saveTo(path);
  }

  /** Writes the figure to `path` (what the save dialog returned) and shows the snippets. */
  async saveTo(path: string): Promise<void> {
    const error = byId("fig-error");
    error.hidden = true;
    try {
      this.result = await api.exportFigure(this.photoId, path, this.request());
      const fromPreview =
        this.result.pixels_from === "preview" ? " The original is missing from disk: made from the cached preview (at most 1600 px)." : "";
      byId("fig-written").textContent = `Saved ${this.result.image} (${this.result.width} × ${this.result.height}).${fromPreview}`;
      byId("fig-result").hidden = false;
      byId("fig-copy").hidden = false;
      this.show(this.flavour);
    } catch (e) {
      error.hidden = false;
      error.textContent = e instanceof ApiError || e instanceof Error ? e.message : String(e);
    }
  }

  private show(flavour: Flavour): void {
    this.flavour = flavour;
    for (const b of this.dialog.querySelectorAll<HTMLButtonElement>("[data-snippet]")) {
      b.setAttribute("aria-pressed", String(b.dataset.snippet === flavour));
    }
    if (this.result) byId<HTMLTextAreaElement>("fig-snippet").value = this.result[flavour];
  }

  private copy(): void {
    const area = byId<HTMLTextAreaElement>("fig-snippet");
    area.select();
    const copied = document.execCommand("copy");
    byId("fig-copy").textContent = copied ? "Copied" : "Press Ctrl+C to copy";
    setTimeout(() => (byId("fig-copy").textContent = "Copy snippet"), 2000);
  }
}
