"""The demo council's self-assessment: one round signed off before the autumn network meeting
and a draft for the spring one (four principles assessed so far)."""

from __future__ import annotations

import random
from datetime import timedelta

from ..consultations.models import Stage
from ..network import services as network

# The levels the demo council gave itself: (autumn, spring); a second demo council (another
# KIL_COUNCIL_NAME) gets its own, drawn from its name, so a demo hub has something to compare.
EAST_SUSSEX = ((2, 3, 2, 1, 3, 1), (3, 3, 2, 2, None, None))
NEXT_STEPS = {
    1: "Bring the NHS, police and the voluntary sector into one **neighbourhood team** in "
    "Hastings, and report what changed for the families it works with.",
    2: "Agree a plan for each of the five districts with the groups people already trust, "
    "starting with Rother.",
    3: "Publish how much of the council's spend goes to businesses in East Sussex, every "
    "quarter, and set a target with the Procurement team.",
    4: "Move part of the crisis support budget to the community larders' early advice sessions.",
    5: "Offer three-year grants to community organisations, with a one-page application.",
    6: "Split the next home-care contract into lots that small local providers can bid for.",
}
CHAMPIONS = {
    1: "Cllr Bob Standley, Cabinet Member for Adult Social Care",
    2: "Director of Communities",
    3: "Head of Procurement",
    4: "Director of Public Health",
    5: "Cllr Bob Standley, Cabinet Member for Adult Social Care",
    6: "Head of Procurement",
}


def _levels(council_name: str):
    if council_name == "East Sussex County Council":
        return EAST_SUSSEX
    rng = random.Random(sum(map(ord, council_name)))
    autumn = tuple(rng.randint(1, 4) for _ in range(6))
    spring = tuple(min(4, level + rng.randint(0, 1)) for level in autumn[:4]) + (None, None)
    return autumn, spring


def load_network_rounds(council_name: str, people: dict, ideas: list, consultations, now) -> None:
    """Sign off the autumn round and start the spring one, citing the demo's own ideas and
    the published summaries of the early round."""
    admin, facilitator = people["admin"], people["facilitator"]
    autumn_levels, spring_levels = _levels(council_name)
    evidence = {  # the closed consultations have a published "you said, we did" report
        c.principle_number: [f"/consultations/{c.slug}/report.pdf"]
        for c in consultations.values()
        if c.stage is Stage.CLOSED
    }
    by_principle: dict[int, list[str]] = {}
    for idea in ideas:
        by_principle.setdefault(idea.consultation.principle_number, []).append(f"/ideas/{idea.id}")
    for title, when, levels in (
        ("Autumn 2026 network meeting", now - timedelta(days=60), autumn_levels),
        ("Spring 2027 network meeting", now + timedelta(days=90), spring_levels),
    ):
        round_ = network.start_round(facilitator, title, when.date())
        for number, level in enumerate(levels, start=1):
            if level is None:
                continue
            network.save_assessment(
                round_,
                facilitator,
                number,
                level=level,
                commitments=[],
                addresses=evidence.get(number, []) + by_principle.get(number, [])[:2],
                next_steps=NEXT_STEPS[number],
                champion=CHAMPIONS[number],
            )
        if title.startswith("Autumn"):
            network.sign_off(round_, admin, now=now - timedelta(days=67))  # before the meeting
