// Start GOV.UK Frontend's components, then enhance voting so it happens without a reload.
// Everything works without this file: the vote buttons are ordinary form buttons.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

const LABELS = { agree: "agree", disagree: "disagree", pass: "pass" };

function updateCounts(card, data) {
  for (const key of ["agree", "disagree", "pass"]) {
    const cell = card.querySelector(`[data-count="${key}"]`);
    if (cell) cell.textContent = String(key === "pass" ? data.pass_ : data[key]);
  }
}

function markSelected(form, value) {
  for (const button of form.querySelectorAll("button[name=value]")) {
    const selected = button.value === value;
    button.classList.toggle("app-vote__button--selected", selected);
    button.setAttribute("aria-pressed", selected ? "true" : "false");
    const mark = button.querySelector(".app-vote__yours");
    if (selected && !mark) {
      const span = document.createElement("span");
      span.className = "app-vote__yours";
      span.textContent = " (your vote)";
      button.appendChild(span);
    } else if (!selected && mark) {
      mark.remove();
    }
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.module !== "app-vote") return;
  const button = event.submitter;
  if (!button || button.name !== "value") return;
  event.preventDefault();
  const status = form.querySelector(".app-vote__status");
  const body = new FormData(form);
  body.set("value", button.value);
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.message || data.error || "Your vote was not saved.");
    markSelected(form, data.vote);
    const card = form.closest(".app-idea, main");
    if (card) updateCounts(card, data);
    if (status) status.textContent = `You voted ${LABELS[data.vote]}. Your vote is saved.`;
  } catch (error) {
    if (status) status.textContent = `${error.message} Please try again.`;
  }
});
