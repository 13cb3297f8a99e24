"""The "Who answered “About you”" section of the consultation report (and of the statement):
the suppressed figures of the "Who took part" page as document blocks, never anything about
one person."""

from __future__ import annotations

from ..equality.figures import WhoTookPart
from .blocks import Heading, Para, Table


def _n(value: int | None) -> str:
    return "Not shown" if value is None else f"{value:,}"


def _share(value: float | None) -> str:
    return "Not shown" if value is None else f"{round(value * 100)}%"


def who_answered_blocks(figures: WhoTookPart, level: int = 2) -> list:
    """Each characteristic against the population, with its score and who is missing."""
    t = figures.threshold
    blocks: list = [
        Heading(level, "Who answered “About you”"),
        Para(
            "People who took part could answer optional questions about themselves, in the UK's "
            "harmonised wording, compared here with the area's population. To protect people, "
            f"a count of fewer than {t} is not shown, and so is any figure that would let "
            "someone work one out by subtraction. The representativeness score is one minus "
            "the total variation distance between the shares of those who answered and of the "
            "population: 100% would be the area in miniature."
        ),
    ]
    if figures.illustrative:
        blocks.append(
            Para("Some population figures are illustrative, not real Census data.", small=True)
        )
    if not figures.anyone:
        blocks.append(Para("Nobody who took part answered the “About you” questions."))
        return blocks
    if not figures.any_figures:
        blocks.append(Para(f"Fewer than {t} people answered: too few to show anything."))
        return blocks
    for c in figures.characteristics:
        if c.answered == 0:
            continue
        blocks.append(
            Table(
                c.heading,
                ["Group", "People", "Share of answers", "Share of area"],
                [
                    [r.label, _n(r.people), _share(r.share), _share(r.population_share)]
                    for r in c.rows
                ]
                + [["Everyone who answered", _n(c.answered), "", ""]],
                f"{c.heading}: people who answered “{c.question}”, beside the population",
            )
        )
        words = (
            f"Representativeness score: {_share(c.score)}."
            if c.score is not None
            else f"No representativeness score: {c.score_note}"
        )
        blocks.append(Para(" ".join([words, *c.missing]), small=True))
    return blocks
