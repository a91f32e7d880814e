// The About box: the version, the models with their licences and sources, where the library
// lives and how the window draws, as the backend reports them.
import { api } from "../api";
import { byId } from "../dom";

export { default as aboutTemplate } from "./about.html?raw";

export async function openAbout(): Promise<void> {
  const info = await api.about();
  byId("about-version").textContent = info.version;
  byId("about-library").textContent = info.library;
  byId("about-drawing").textContent = info.drawing;
  byId("about-models").replaceChildren(
    ...info.models.map((m) => {
      const row = document.createElement("tr");
      row.dataset.present = String(m.present);
      const cells = [m.role, m.name, m.licence, m.source];
      for (const text of cells) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      if (!m.present) {
        const last = row.lastElementChild as HTMLElement;
        last.append(document.createElement("br"), `missing: ${m.path}`);
        last.classList.add("warn-text");
      }
      row.title = `${m.path}\nsha256 ${m.sha256}`;
      return row;
    }),
  );
  byId<HTMLDialogElement>("about-dialog").showModal();
}
