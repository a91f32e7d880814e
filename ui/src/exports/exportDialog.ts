// The Export dialog: a dry-run summary first (how many people are named, how many blurred),
// then a gallery folder or XMP sidecars.
import { api, ApiError, type ExportSummary } from "../api";
import { plural } from "../text";
import { byId } from "../dom";

export { default as exportTemplate } from "./exportDialog.html?raw";

function summaryText(s: ExportSummary): string {
  const others = s.blurred_faces > s.blurred_people ? " (attendees' own requests included)" : "";
  const blurred = s.blurred_people
    ? `${plural(s.blurred_people, "person", "people")} chose no-publish: ${plural(s.blurred_faces, "face")} will be blurred and unnamed in every export${others}.`
    : s.blurred_faces
      ? `${plural(s.blurred_faces, "face")} will be blurred and unnamed in every export: attendees asked for it in their answers.`
      : "Nobody needs blurring.";
  return `${plural(s.photos, "photo")}, ${s.photos_with_faces} with faces; ${plural(s.named_people, "person", "people")} will be named. ${blurred}`;
}

export class ExportDialog {
  private readonly dialog = byId<HTMLDialogElement>("export-dialog");
  private readonly result = byId("export-result");

  constructor() {
    byId("open-export").addEventListener("click", () => void this.open());
    byId("export-gallery").addEventListener("click", () => void this.gallery());
    byId("export-xmp-here").addEventListener("click", () => void this.xmp(false));
    byId("export-xmp-folder").addEventListener("click", () => void this.xmp(true));
    byId("gallery-claims").addEventListener("change", () => {
      byId("gallery-claims-fields").hidden = !byId<HTMLInputElement>("gallery-claims").checked;
    });
  }

  async open(): Promise<void> {
    this.result.textContent = "";
    // The library's event (set in the Post view) titles the gallery and holds the answers.
    const event = await api.getEvent().catch(() => null);
    byId<HTMLInputElement>("gallery-title").value = event?.name ?? "";
    byId<HTMLInputElement>("gallery-claims-repo").value = event?.repository ?? "";
    byId("export-summary").textContent = "Counting…";
    this.dialog.showModal();
    try {
      byId("export-summary").textContent = summaryText(await api.exportSummary());
    } catch (e) {
      this.fail(e);
    }
  }

  /** Exports the gallery into `folder` (what the folder picker returned). */
  async galleryTo(folder: string): Promise<void> {
    const title = byId<HTMLInputElement>("gallery-title").value.trim();
    const claims = byId<HTMLInputElement>("gallery-claims").checked;
    const repo = byId<HTMLInputElement>("gallery-claims-repo").value.trim();
    this.result.textContent = "Exporting the gallery…";
    try {
      const r = await api.exportGallery(folder, title || null, claims ? repo : null);
      this.result.textContent =
        `Gallery in ${r.folder}: ${plural(r.photos, "photo")}, ${plural(r.people, "person", "people")}; ` +
        `${plural(r.written, "file")} written, ${r.unchanged} unchanged` +
        (r.failed.length ? `; ${r.failed.length} photos could not be exported` : "") +
        ". Open index.html to browse it." +
        (r.claims_setup.length ? ` Before you publish it: ${r.claims_setup.join("; ")}.` : "");
    } catch (e) {
      this.fail(e);
    }
  }

  private async gallery(): Promise<void> {
    const folder = await api.pickFolder("Export gallery into");
    if (folder) await this.galleryTo(folder);
  }

  private async xmp(pick: boolean): Promise<void> {
    const folder = pick ? await api.pickFolder("Write XMP sidecars into") : null;
    if (pick && !folder) return;
    this.result.textContent = "Writing sidecars…";
    try {
      const r = await api.exportXmp(folder);
      const skipped = r.failed.length ? ` ${r.failed.length} skipped: ${r.failed[0].error}` : "";
      this.result.textContent = `${plural(r.written, "sidecar")} written ${r.folder ? `to ${r.folder}` : "next to the photos"}.${skipped}`;
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.result.textContent = e instanceof ApiError || e instanceof Error ? e.message : String(e);
  }
}
