// One face's label at a time: the face pointed at, focused or tapped shows its name and its
// "Who is this?" link; the label stays inside the photo. Hovering or focusing a name in the list
// lights its face. Nothing is loaded from anywhere.
const frame = document.querySelector(".frame");
if (frame) {
  frame.classList.add("scripted");
  let open = null;
  const place = (spot) => {
    const tag = spot.querySelector(".tag");
    tag.style.left = "0px";
    tag.style.top = "";
    tag.style.bottom = "";
    const f = frame.getBoundingClientRect();
    const t = tag.getBoundingClientRect();
    const room = Math.min(f.right, document.documentElement.clientWidth) - 4;
    if (t.right > room) tag.style.left = `${Math.round(room - t.right)}px`;
    const left = tag.getBoundingClientRect().left;
    if (left < Math.max(f.left, 0) + 4) tag.style.left = `${Math.round(parseFloat(tag.style.left) + Math.max(f.left, 0) + 4 - left)}px`;
    if (t.bottom > f.bottom) {
      tag.style.top = "auto";
      tag.style.bottom = "100%";
    }
  };
  const show = (spot) => {
    if (open === spot) return;
    if (open) {
      open.classList.remove("open");
      open.querySelector(".box").setAttribute("aria-expanded", "false");
    }
    open = spot;
    if (!spot) return;
    spot.classList.add("open");
    spot.querySelector(".box").setAttribute("aria-expanded", "true");
    place(spot);
  };
  for (const spot of frame.querySelectorAll(".spot")) {
    const box = spot.querySelector(".box");
    spot.addEventListener("pointerenter", (e) => {
      if (e.pointerType === "mouse") show(spot);
    });
    box.addEventListener("focus", () => show(spot));
    box.addEventListener("click", () => show(spot));
  }
  frame.addEventListener("pointerleave", (e) => {
    if (e.pointerType === "mouse" && !frame.contains(document.activeElement)) show(null);
  });
  document.addEventListener("pointerdown", (e) => {
    if (open && !open.contains(e.target)) show(null);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && open) {
      const box = open.querySelector(".box");
      show(null);
      box.blur();
    }
  });
}
for (const link of document.querySelectorAll(".who a[data-n]")) {
  const spot = document.querySelector(`.spot[data-n="${link.dataset.n}"]`);
  if (!spot) continue;
  const on = () => spot.classList.add("lit");
  const off = () => spot.classList.remove("lit");
  link.addEventListener("mouseenter", on);
  link.addEventListener("focus", on);
  link.addEventListener("mouseleave", off);
  link.addEventListener("blur", off);
}
