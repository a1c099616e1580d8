// Ranking without repeats, as an enhancement of the numbered ballot (which works without this script):
// giving a candidate a number another candidate already has swaps the two, so no number is ever given
// twice and the voter can reorder by renumbering.
document.addEventListener("DOMContentLoaded", () => {
  const selects = Array.from(document.querySelectorAll("form.ballot ol.ranking select"));
  const previous = new Map(selects.map((s) => [s, s.value]));
  for (const select of selects) {
    select.addEventListener("change", () => {
      const other = selects.find((s) => s !== select && s.value !== "" && s.value === select.value);
      if (other) {
        other.value = previous.get(select);
        previous.set(other, other.value);
      }
      previous.set(select, select.value);
    });
  }
});
