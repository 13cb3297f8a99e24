"""What the journeys and page checks share: signing in as a person would, keyboard moves with
a visible-focus check, axe-core, HTML_CodeSniffer, the 320-pixel reflow check and the Nu Html
Checker, and ``sample_problems``, which runs them all over a set of sample pages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests import factories

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HTMLCS_JS = Path(__file__).resolve().parents[2] / "node_modules/html_codesniffer/build/HTMLCS.js"
NARROW = {"width": 320, "height": 640}


# --- as a person would ---------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the sign-in page (from its link in the header)."""
    page.goto("/")
    page.get_by_role("link", name="Sign in", exact=True).first.click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(re.compile(r"^Signed in as"))).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


# --- keyboard and focus --------------------------------------------------------------------

_FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.dataset.kilFocusId) el.dataset.kilFocusId = String(Math.random()).slice(2);
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const own = el.labels && el.labels.length ? el.labels[0].innerText : '';
  const label = (own || el.innerText || el.getAttribute('aria-label') || el.id || '').trim();
  return {
    id: el.dataset.kilFocusId,
    tag: el.tagName.toLowerCase(),
    label: label.replace(/\\s+/g, ' ').slice(0, 80),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    background: style.backgroundColor,
    width: rect.width,
    height: rect.height,
  };
}"""

_TABBABLE_COUNT = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  return [...document.querySelectorAll(selector)].filter((el) => {
    if (el.disabled || el.tabIndex < 0) return false;
    if (el.type === 'hidden') return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    return el.getClientRects().length > 0;
  }).length;
}"""

# Move the start of Tab's journey to the top of the page (a blur alone leaves it where it was).
_FOCUS_TOP = """() => {
  const root = document.documentElement;
  root.tabIndex = -1;
  root.focus();
  root.removeAttribute('tabindex');
  window.scrollTo(0, 0);
}"""

GOVUK_YELLOW = "rgb(255, 221, 0)"


def focus_problem(state: dict | None) -> str | None:
    """Why the focused element's focus is not visible (None when it is)."""
    if state is None:
        return "nothing has focus"
    if state["width"] < 1 or state["height"] < 1:
        return f"focus is on an invisible {state['tag']} {state['label']!r}"
    outline = (
        state["outlineStyle"] not in ("none", "hidden")
        and state["outlineWidth"] >= 2
        and "rgba(0, 0, 0, 0)" not in state["outlineColor"]
        and state["outlineColor"] != "transparent"
    )
    shadow = state["boxShadow"] not in ("none", "")
    yellow = state["background"] == GOVUK_YELLOW
    if outline or shadow or yellow:
        return None
    return f"no visible focus indicator on {state['tag']} {state['label']!r}: {state}"


def focused(page: Page) -> dict | None:
    return page.evaluate(_FOCUS_STATE)


def press(page: Page, key: str) -> dict:
    """Press a key and check that focus is on something, visibly."""
    page.keyboard.press(key)
    state = focused(page)
    problem = focus_problem(state)
    assert problem is None, f"after {key} on {page.url}: {problem}"
    return state


def tab_to(page: Page, pattern: str | re.Pattern, limit: int = 80, backwards: bool = False):
    """Press Tab (or Shift+Tab) until the focused element's text matches ``pattern``.

    Every stop must show its focus; reaching the limit, or coming back to where we started
    without finding it, means the element is unreachable or focus is trapped.
    """
    key = "Shift+Tab" if backwards else "Tab"
    regex = re.compile(re.escape(pattern) if isinstance(pattern, str) else pattern.pattern)
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state is None:  # focus left the page for the browser's own controls: go on
            continue
        problem = focus_problem(state)
        assert problem is None, f"after {key} on {page.url}: {problem}"
        if regex.search(state["label"]):
            return state
        if seen and state["id"] == seen[0] and len(seen) > 1:
            break
        seen.append(state["id"])
    raise AssertionError(f"{key} never reached {pattern!r} on {page.url} (visited {len(seen)})")


def assert_tab_cycle(page: Page) -> None:
    """From the top, Tab visits every focusable element with visible focus and goes past the
    last one (no trap); Shift+Tab comes back the same way."""
    page.evaluate(_FOCUS_TOP)
    count = page.evaluate(_TABBABLE_COUNT)
    forward: list[str] = []
    for _ in range(count + 3):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None:
            break  # past the last element, into the browser's own controls
        problem = focus_problem(state)
        assert problem is None, f"Tab on {page.url}: {problem}"
        if forward and state["id"] == forward[-1]:
            raise AssertionError(f"focus is stuck on {state['label']!r} on {page.url}")
        forward.append(state["id"])
    assert len(set(forward)) >= count, (
        f"Tab visited {len(set(forward))} of {count} focusable elements on {page.url}"
    )
    if not forward:
        return
    # Shift+Tab from the last element walks back through the same elements.
    if focused(page) is None:  # focus went on to the browser's controls: come back
        page.keyboard.press("Shift+Tab")
    backward = []
    for _ in range(min(5, len(forward) - 1)):
        backward.append(press(page, "Shift+Tab")["id"])
    assert backward == list(reversed(forward))[1 : len(backward) + 1], (
        f"Shift+Tab does not retrace Tab's order on {page.url}"
    )


# --- page checks ---------------------------------------------------------------------------


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations, one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"axe {violation['id']} ({violation['impact']}): {target}")
    return lines


# HTML_CodeSniffer's messages: 1 is an error, 2 a warning, 3 a notice.
HTMLCS_ERROR, HTMLCS_WARNING, HTMLCS_NOTICE = 1, 2, 3
_HTMLCS_RUN = (Path(__file__).parent / "htmlcs_run.js").read_text(encoding="utf-8")

# Every error fails. Notices are not counted: HTML_CodeSniffer gives the same ones on every page
# whatever it holds ("Check that the title element describes the document"), as reminders of
# what a person must judge; they report nothing found. Every warning fails too, except these,
# each a heuristic that fires on markup we looked at and found sound, and only where the facts
# the check gathers (htmlcs_run.js) show it is that markup. Keyed by the end of the code:
HTMLCS_EXCLUSIONS: dict[str, tuple[str, Callable[[dict], bool]]] = {
    "1_3_1.H85.2": (
        "'group related options with optgroup' fires on every select; ours are flat lists "
        "of peers (tabs, kinds, reasons, consultations, roles)",
        lambda m: m["tag"] == "select",
    ),
    "1_3_1.H48": (
        "'two links not in a list may be navigation' fires on links inside sentences and on "
        "GOV.UK button groups; real navigation is in lists",
        lambda m: m["ownWords"] or "govuk-button-group" in m["classes"],
    ),
    "1_3_1.H42": (
        "'a paragraph of bold text may be a heading' fires on a GOV.UK status tag alone in a "
        "paragraph and on a whole sentence in bold; real headings use heading markup",
        lambda m: "govuk-tag" in m["onlyChildClasses"] or m["text"].endswith((".", "?", "!")),
    ),
    "1_3_1_A.G141": (
        "GOV.UK's error summary and notification banner are h2s before the page's h1 by "
        "design (the Design System's researched pattern); the h1 follows",
        lambda m: bool(
            {"govuk-error-summary__title", "govuk-notification-banner__title"} & set(m["classes"])
        ),
    ),
    "1_4_3.G18.Abs": (
        "contrast cannot be measured on absolutely positioned text: ours is visually hidden "
        "(a one-pixel clip, as a skip link is until focused) or paints its own background, "
        "whose contrast is measured instead",
        lambda m: m["visuallyHidden"] or (m["ownContrast"] or 0) >= 4.5,
    ),
    "1_4_3.G145.Abs": (
        "as G18.Abs, for large text (3:1)",
        lambda m: m["visuallyHidden"] or (m["ownContrast"] or 0) >= 3,
    ),
    "1_4_10.C32,C31,C33,C38,SCR34,G206": (
        "'preformatted text may scroll in two directions' fires for any pre element; ours "
        "wrap (white-space: pre-wrap), which the reflow check at 320 px confirms",
        lambda m: m.get("preWraps", False) and "Preformatted" in m["msg"],
    ),
}


def htmlcs_messages(page: Page) -> list[dict]:
    """Every message HTML_CodeSniffer gives for the page against WCAG 2 AA, as
    ``{type, code, msg, element, ...facts}``. The script goes in through the DevTools protocol
    (which the page's Content Security Policy does not govern), not as a ``<script>``."""
    if not page.evaluate("() => typeof HTMLCS !== 'undefined'"):
        page.evaluate(HTMLCS_JS.read_text(encoding="utf-8") + "\n;window.HTMLCS = HTMLCS;")
    return page.evaluate(_HTMLCS_RUN)


def htmlcs_excluded(message: dict) -> bool:
    """True for a warning that HTMLCS_EXCLUSIONS explains away."""
    for suffix, (_reason, applies) in HTMLCS_EXCLUSIONS.items():
        if message["code"].endswith(suffix):
            return bool(applies(message))
    return False


def htmlcs_problems(page: Page) -> list[str]:
    """HTML_CodeSniffer's errors, and its warnings bar the explained ones: one line each."""
    lines = []
    for message in htmlcs_messages(page):
        if message["type"] == HTMLCS_NOTICE:
            continue
        if message["type"] == HTMLCS_WARNING and htmlcs_excluded(message):
            continue
        kind = "error" if message["type"] == HTMLCS_ERROR else "warning"
        code = message["code"].removeprefix("WCAG2AA.")
        lines.append(f"htmlcs {kind} {code}: {message['msg']} [{message['element']}]")
    return lines


def reflow_problem(page: Page) -> str | None:
    """At 320 CSS pixels wide the page must not scroll sideways (WCAG 1.4.10)."""
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > limit + 1)
          .slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + el.className)""",
        widths[1],
    )
    if size:
        page.set_viewport_size(size)
    if widths[0] > widths[1]:
        return f"scrolls sideways at 320px: scrollWidth {widths[0]} > {widths[1]} ({wide})"
    return None


def vnu_errors(command: list[str], documents: dict[str, str]) -> dict[str, list[str]]:
    """Run the Nu Html Checker once over many HTML documents: {name: [error, ...]}."""
    if not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="kil-vnu-") as folder:
        paths: dict[str, str] = {}
        files = []
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
            paths[path.as_uri()] = name
            paths[str(path)] = name
        result = subprocess.run(
            [*command, "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=120,
        )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(f"vnu gave no JSON: {result.stdout}\n{result.stderr}") from exc
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = paths.get(url) or paths.get(url.removeprefix("file:")) or url
        line = message.get("lastLine", "?")
        errors.setdefault(name, []).append(f"vnu line {line}: {message.get('message')}")
    return errors


# --- a set of sample pages against the whole bar --------------------------------------------

SCREENSHOTS = os.environ.get("KIL_SCREENSHOTS", "")  # a folder: keep each sample at 375, 1280 px


def _full_page_shots(page: Page, name: str) -> None:
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        file = f"{name}-{width}.png".replace(" ", "_").replace(",", "").replace("'", "")
        page.screenshot(path=str(Path(SCREENSHOTS) / file), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def sample_problems(
    page: Page,
    samples,
    world,
    role: str,
    vnu_command: list[str],
    check_address: Callable[[object, str], None] | None = None,
    screenshots: Callable[[Page, str], None] = _full_page_shots,
) -> list[str]:
    """Visit each sample page (``name``, ``path(world)``, ``act``, ``status``) as the page's
    signed-in person: its status, axe-core, HTML_CodeSniffer and the 320-pixel reflow check,
    then the Nu Html Checker over every document at once. One line per problem found.

    ``check_address(sample, path)`` may check each address first (that it is the route the
    sample stands for); with ``KIL_SCREENSHOTS`` set, ``screenshots(page, name)`` keeps each.
    """
    documents: dict[str, str] = {}
    problems: list[str] = []
    last: dict = {}

    def remember(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            last["response"] = response

    page.on("response", remember)
    try:
        for sample in samples:
            label = f"{sample.name} [{role}]"
            path = sample.path(world)
            if check_address is not None:
                check_address(sample, path)
            page.goto(path)
            if sample.act:
                sample.act(page, world)
            response = last["response"]
            if response.status != sample.status:
                problems.append(f"{label}: status {response.status}, expected {sample.status}")
            documents[label] = response.text()
            problems.extend(f"{label}: {line}" for line in axe_violations(page))
            problems.extend(f"{label}: {line}" for line in htmlcs_problems(page))
            if reflow := reflow_problem(page):
                problems.append(f"{label}: {reflow}")
            if SCREENSHOTS:
                screenshots(page, f"{sample.name}-{role}")
    finally:
        page.remove_listener("response", remember)
    for label, errors in vnu_errors(vnu_command, documents).items():
        problems.extend(f"{label}: {error}" for error in errors)
    return problems
