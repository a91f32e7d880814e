// Asking the organizer plainly, in that moment: a dialog with the question and a button per
// answer. Esc or closing the dialog answers null (nothing is done).
import { byId } from "./dom";

export { default as confirmTemplate } from "./confirm.html?raw";

export type Choice = { value: string; label: string; primary?: boolean };

export function ask(title: string, message: string, choices: Choice[]): Promise<string | null> {
  const dialog = byId<HTMLDialogElement>("confirm-dialog");
  byId("confirm-title").textContent = title;
  byId("confirm-message").textContent = message;
  return new Promise((resolve) => {
    let answer: string | null = null;
    const buttons = [{ value: "", label: "Cancel" }, ...choices].map((c) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "primary" in c && c.primary ? "primary" : "ghost";
      b.dataset.choice = c.value || "cancel";
      b.textContent = c.label;
      b.addEventListener("click", () => {
        answer = c.value || null;
        dialog.close();
      });
      return b;
    });
    byId("confirm-choices").replaceChildren(...buttons);
    dialog.addEventListener("close", () => resolve(answer), { once: true });
    dialog.showModal();
    (buttons.find((b) => b.classList.contains("primary")) ?? buttons[0]).focus();
  });
}
