// The layout checks of test_phone_pages.py, evaluated in the page: returns its problems.
// No horizontal overflow of the document; no box scrolling sideways with content hidden in
// it (except the wide tables of {% table scroll=True %}); every link and button in <main>
// inside the screen's width; every touch target at least 44 × 44 px, except a link inside
// a sentence (WCAG's inline exception).
(() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.classList.length ? "." + [...el.classList].join(".") : "");
    return text ? `${name} "${text.slice(0, 40)}"` : name;
  };
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Screen-reader-only text and folded menus are not on the screen.
    return box.width > 1 && box.height > 1 && style.visibility !== "hidden"
      && el.checkVisibility();
  };
  const inWideTable = (el) => el.closest(".table-wide-scroller") !== null;

  if (document.documentElement.scrollWidth > width + 1) {
    const wide = document.documentElement.scrollWidth;
    problems.push(`the document is ${wide} px wide on a ${width} px screen`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1
        && !el.matches(".table-wide-scroller")) {
      problems.push(`${describe(el)} hides ${el.scrollWidth - el.clientWidth} px sideways`);
    }
  }

  // A link inside a sentence is exempt from the target size (WCAG's inline exception).
  const punctuation = /[\s\p{P}\p{S}]/gu;
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const copy = block.cloneNode(true);
    copy.querySelectorAll("a, button, input, select, textarea, .visually-hidden").forEach((n) => n.remove());
    return copy.textContent.replace(punctuation, "").length > 0;
  };
  const targets = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (let el of document.body.querySelectorAll(targets)) {
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      // The touch target of a box to tick is its label.
      el = el.closest("label") || document.querySelector(`label[for="${el.id}"]`) || el;
    }
    if (!visible(el)) continue;
    const box = el.getBoundingClientRect();
    if (el.closest("main") && !inWideTable(el) && (box.left < -1 || box.right > width + 1)) {
      problems.push(`${describe(el)} lies outside the screen (x ${Math.round(box.left)} to ${Math.round(box.right)})`);
    }
    if ((box.height < 44 || box.width < 44) && !inSentence(el)) {
      problems.push(`${describe(el)} is a ${Math.round(box.width)}×${Math.round(box.height)} px target`);
    }
  }
  return problems;
})();
