// Checks the numbered ballot as the voter fills it in (the ballot works without this script, and the server
// checks it again either way). It never changes a number the voter chose: a number given to two
// candidates is shown as a clash beside both, in the server's own words, and the ballot is not sent until
// the voter has settled it. A gap or an empty ballot is refused the same way when the voter casts it.
// Every word it shows comes from the page (the form's data-* attributes), in the page's language.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.ballot");
  if (!form) return;
  const rows = Array.from(form.querySelectorAll("ol.ranking li.rank-row")).map((row) => ({
    row,
    select: row.querySelector("select"),
    label: row.dataset.label,
  }));
  const messages = {
    none: form.dataset.none,
    repeat: form.dataset.repeat,
    gap: form.dataset.gap,
    and: form.dataset.and,
    clash: form.dataset.clash,
  };
  // The server's %(name)s placeholders, filled in the same way.
  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (whole, key) => (key in values ? String(values[key]) : whole));

  // What the server would say of the ballot as it stands, and the rows it concerns; null if nothing.
  function problem({ complete }) {
    const byNumber = new Map();
    for (const entry of rows) {
      if (entry.select.value === "") continue;
      const number = Number(entry.select.value);
      if (!byNumber.has(number)) byNumber.set(number, []);
      byNumber.get(number).push(entry);
    }
    const numbers = Array.from(byNumber.keys()).sort((a, b) => a - b);
    const repeated = numbers.find((n) => byNumber.get(n).length > 1);
    if (repeated !== undefined) {
      const clashing = byNumber.get(repeated);
      const names = clashing
        .map((entry) => entry.label)
        .reduce((first, second) => fill(messages.and, { first, second }));
      return { text: fill(messages.repeat, { number: repeated, names }), rows: clashing };
    }
    if (!complete) return null;
    if (numbers.length === 0) return { text: messages.none, rows: [] };
    const missing = numbers.findIndex((n, i) => n !== i + 1);
    if (missing !== -1) return { text: fill(messages.gap, { missing: missing + 1 }), rows: [] };
    return null;
  }

  let box = null;
  function show(found) {
    for (const entry of rows) {
      const clashing = found !== null && found.rows.includes(entry);
      entry.row.classList.toggle("clash", clashing);
      entry.row.querySelector(".clash-note")?.remove();
      if (clashing) {
        entry.select.setAttribute("aria-invalid", "true");
        entry.select.setAttribute("aria-describedby", "ballot-check");
        const note = document.createElement("span");
        note.className = "error clash-note";
        note.textContent = fill(messages.clash, { number: entry.select.value });
        entry.row.append(note);
      } else {
        entry.select.removeAttribute("aria-invalid");
        entry.select.removeAttribute("aria-describedby");
      }
    }
    if (found === null) {
      if (box) box.remove();
      box = null;
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "ballot-check";
      box.className = "error";
      box.tabIndex = -1;
      box.setAttribute("role", "alert");
      box.append(document.createElement("p"));
      form.querySelector("fieldset").before(box);
    }
    box.firstChild.textContent = found.text;
  }

  for (const entry of rows) {
    entry.select.addEventListener("change", () => show(problem({ complete: false })));
  }
  form.addEventListener("submit", (event) => {
    const found = problem({ complete: true });
    show(found);
    if (found !== null) {
      event.preventDefault();
      (found.rows.length ? found.rows[0].select : box).focus();
    }
  });
  // A ballot the browser restored (going back) may already hold a clash; one the server sent back says so.
  if (!document.getElementById("ballot-errors")) show(problem({ complete: false }));
});
