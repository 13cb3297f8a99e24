"""The checkers themselves: each must catch the problem it is there for, or a green run
would prove nothing."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    assert_tab_cycle,
    axe_violations,
    focus_problem,
    focused,
    reflow_problem,
    vnu_errors,
)

pytestmark = pytest.mark.browser

BAD_PAGE = """<!DOCTYPE html><html><head><title>Bad</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<div style="width: 600px">Too wide</div>
<a href="#x" style="outline: none">No focus style</a>
<p><span></p>
</body></html>"""


def test_the_checkers_catch_known_problems(page, vnu_command):
    page.set_content(BAD_PAGE)
    found = "\n".join(axe_violations(page))
    assert "image-alt" in found and "html-has-lang" in found
    assert "scrolls sideways" in reflow_problem(page)
    page.keyboard.press("Tab")
    assert "no visible focus indicator" in focus_problem(focused(page))
    with pytest.raises(AssertionError, match="no visible focus indicator"):
        assert_tab_cycle(page)
    errors = vnu_errors(vnu_command, {"bad page": BAD_PAGE})["bad page"]
    assert any("img" in error for error in errors), errors


def test_a_focus_trap_is_caught(page):
    page.set_content(
        """<!DOCTYPE html><html lang="en"><body>
        <a href="#a" style="outline: 3px solid #fd0">A</a>
        <input id="b" aria-label="B" style="outline: 3px solid #fd0">
        <a href="#c" style="outline: 3px solid #fd0">C</a>
        </body></html>"""
    )
    page.evaluate(
        """() => document.getElementById('b').addEventListener('keydown', (event) => {
          if (event.key === 'Tab') event.preventDefault();
        })"""
    )
    with pytest.raises(AssertionError, match="stuck|visited"):
        assert_tab_cycle(page)
