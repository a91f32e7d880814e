// Hovering or focusing a name lights its face on the photo; nothing is loaded from anywhere.
for (const link of document.querySelectorAll(".who a[data-n]")) {
  const box = document.querySelector(`.face[data-n="${link.dataset.n}"]`);
  if (!box) continue;
  const on = () => box.classList.add("lit");
  const off = () => box.classList.remove("lit");
  link.addEventListener("mouseenter", on);
  link.addEventListener("focus", on);
  link.addEventListener("mouseleave", off);
  link.addEventListener("blur", off);
}
