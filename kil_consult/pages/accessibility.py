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
# Empty since the charts' labels became HTML text that keeps its size on a narrow screen and
# grows with the text (tests/browser/test_chart_labels.py measures them).
KNOWN_SHORTCOMINGS: tuple[KnownFailure, ...] = ()
