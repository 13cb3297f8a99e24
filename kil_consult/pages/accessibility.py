"""What the accessibility statement says is not yet accessible: a list of data, not prose.

``/accessibility`` renders ``KNOWN_FAILURES``; ``tests/pages/test_accessibility_statement.py``
has a probe for each entry that shows the failure is still there (so the statement cannot keep
an entry once it is fixed), and the browser checks (axe, HTML_CodeSniffer, the Nu Html
Checker, reflow, keyboard journeys) fail on anything new, so the list cannot claim less than
the checks show either.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownFailure:
    """One way part of the service fails WCAG 2.2 AA (or PDF/UA), in plain words."""

    key: str  # the probe's name in the test
    criteria: tuple[str, ...]  # WCAG success criteria, e.g. ("1.3.1 Info and Relationships",)
    text: str  # what a person meets, for the statement
    plan: str  # what we will do


# Empty since the PDF and Word files carry table header scope, table descriptions and the
# language of marked passages (tests/statements/test_documents.py checks each in real files).
KNOWN_FAILURES: tuple[KnownFailure, ...] = ()

# Not failures of WCAG 2.2 AA, but short of what we aim for; listed so as not to hide them.
KNOWN_SHORTCOMINGS: tuple[KnownFailure, ...] = (
    KnownFailure(
        key="chart-labels-small-on-narrow-screens",
        criteria=("1.4.4 Resize Text (advice)",),
        text=(
            "The labels inside the charts on the results pages shrink with the chart: on a "
            "screen 320 pixels wide they are smaller than 12 pixels, and they do not grow when "
            "you make only the text bigger (zooming the page does enlarge them). The table "
            "under each chart gives the same figures in text that resizes."
        ),
        plan="We plan to redraw the charts so their labels keep their size.",
    ),
)
