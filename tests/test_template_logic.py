"""Templates ask models yes-or-no questions (``idea.is_hidden``); they do not compare enum
values with strings or query the database through template globals."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# The analysis templates are being reworked separately (their chart shapes move to Python).
OUTSIDE_ANALYSIS = [p for p in TEMPLATES.rglob("*.html") if "analysis" not in p.parts]
LITERAL_COMPARISON = re.compile(r"\.value\s*(?:==|!=|in|not in)\s*[\"'(]")


def test_no_template_compares_an_enum_value_with_a_string():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in OUTSIDE_ANALYSIS
        for match in LITERAL_COMPARISON.finditer(path.read_text())
    ]
    assert not found, found


def test_no_template_loads_the_statement_through_a_global():
    assert not [p for p in OUTSIDE_ANALYSIS if "current_statement(" in p.read_text()]


def test_the_model_facts_the_templates_read(db):
    from kil_consult.consultations.models import Stage
    from kil_consult.ideas.models import Visibility
    from tests import factories

    idea = factories.make_idea(visibility=Visibility.HIDDEN)
    assert idea.is_hidden and not (idea.is_published or idea.is_pending or idea.is_merged)
    assert not idea.is_offline
    assert Stage.OPEN.is_open and Stage.CLOSED.is_closed and Stage.DRAFT.is_draft
    assert not idea.consultation.is_premoderated
