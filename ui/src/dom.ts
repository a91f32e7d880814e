// Small DOM helpers every view shares.

/** The element with this id; a missing one is a bug in a view's template, reported by name. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el as T;
}

/** Puts a template's markup into the page. Each view's markup is a template beside its code
 *  (an .html file, bundled as text); the shell mounts every one at start, before any view
 *  looks up its elements. Templates are our own files, never data: parsing them is safe. */
export function mount(template: string, parent: HTMLElement = document.body): void {
  const t = document.createElement("template");
  t.innerHTML = template;
  parent.append(t.content);
}
