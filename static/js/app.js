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

// While someone writes an idea, show up to five similar ideas already shared, so they can
// agree with one instead. The server checks again when the form is sent.
for (const form of document.querySelectorAll("form[data-module=app-similar]")) {
  // The live region is always in the page and never hidden, so that screen readers announce
  // what is put into it; the styled box inside it comes and goes.
  const region = form.querySelector("[data-similar-region]");
  const fields = ["title", "body"].map((name) => form.querySelector(`[name=${name}]`));
  let timer = null;
  let lastText = "";
  const render = (ideas) => {
    region.replaceChildren();
    if (!ideas.length) return;
    const box = document.createElement("div");
    box.className = "app-similar";
    const heading = document.createElement("h2");
    heading.className = "govuk-heading-s";
    heading.textContent = "Similar ideas already shared";
    const hint = document.createElement("p");
    hint.className = "govuk-body-s";
    hint.textContent = "If one of these says what you mean, agree with it instead of sharing yours.";
    const list = document.createElement("ul");
    list.className = "govuk-list";
    for (const idea of ideas) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = idea.url;
      link.textContent = idea.title;
      const counts = document.createElement("span");
      counts.className = "govuk-body-s";
      counts.textContent = ` (${idea.agree} agree, ${idea.disagree} disagree, ${idea.comments} comments)`;
      item.append(link, counts);
      if (idea.vote_url) {
        // Agree with it instead: the button sends this form (with its CSRF token) to the
        // idea's vote address, so no form sits inside another.
        const button = document.createElement("button");
        Object.assign(button, { type: "submit", name: "value", value: "agree" });
        button.formAction = idea.vote_url;
        button.formNoValidate = true;
        button.className = "govuk-button govuk-button--secondary app-vote__button app-similar__agree";
        const hidden = document.createElement("span");
        hidden.className = "govuk-visually-hidden";
        hidden.textContent = ` with ${idea.title}`;
        button.append("Agree", hidden, " instead");
        item.append(" ", button);
      }
      list.append(item);
    }
    box.append(heading, hint, list);
    region.append(box);
  };
  const check = async () => {
    const text = fields.map((field) => (field ? field.value : "")).join(" ").trim();
    if (text.length < 8 || text === lastText) return;
    lastText = text;
    try {
      const url = `${form.dataset.similarUrl}?text=${encodeURIComponent(text.slice(0, 2000))}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) render((await response.json()).ideas || []);
    } catch {
      // Checking again happens on the server when the form is sent.
    }
  };
  for (const field of fields) {
    if (!field) continue;
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 500);
    });
  }
}

// Chromium leaves a control that is partly in view where it is when it takes focus, so in a
// wide table's scroll box the rest of it, and its focus ring, can stay cut off at the edge.
// Bring the whole control (and, through the box's scroll-padding, its ring) into view.
for (const box of document.querySelectorAll(".app-table-scroll")) {
  box.addEventListener("focusin", (event) => {
    if (event.target !== box) event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
  });
}

// A large download's page: while the file is being made, check again every few seconds and
// show the new state (the page's "Check again" link does the same without JavaScript). The
// page is replaced only when the state changes, announced politely; the progress bar and its
// words follow quietly in between. It stops after ten minutes, leaving the link.
const download = document.querySelector("[data-module=app-download-status]");
if (download && ["queued", "running"].includes(download.dataset.state)) {
  const live = document.createElement("p");
  live.className = "govuk-visually-hidden";
  live.setAttribute("aria-live", "polite");
  download.after(live);
  let checks = 0;
  const check = async () => {
    checks += 1;
    try {
      const answer = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!answer.ok) return;
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      const next = page.querySelector("[data-module=app-download-status]");
      if (!next) return;
      if (next.dataset.state !== download.dataset.state) {
        download.dataset.state = next.dataset.state;
        download.replaceChildren(...next.childNodes);
        live.textContent = download.querySelector("h1")?.textContent || "";
      } else {
        const words = next.querySelector("#download-state");
        const bar = next.querySelector("progress");
        if (words) download.querySelector("#download-state")?.replaceWith(words);
        const here = download.querySelector("progress");
        if (bar && here) here.replaceWith(bar);
        else if (bar) download.querySelector("#download-state")?.after(bar);
      }
    } finally {
      if (["queued", "running"].includes(download.dataset.state) && checks < 200) {
        window.setTimeout(check, 3000);
      }
    }
  };
  window.setTimeout(check, 3000);
}
