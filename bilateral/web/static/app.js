// Keyboard: "/" jumps to the search box; on a document, the cited passage in the address is shown.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "/" && box && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
window.addEventListener("DOMContentLoaded", () => {
  const anchor = location.hash && document.getElementById(location.hash.slice(1));
  const mark = anchor && anchor.nextElementSibling;
  if (mark && mark.tagName === "MARK") {
    mark.classList.add("focus");
    mark.scrollIntoView({ block: "center" });
  }
});
