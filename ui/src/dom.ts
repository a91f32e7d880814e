// Small DOM helpers every view shares.

/** The element with this id; a missing one is a bug in index.html, reported by name. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el as T;
}
