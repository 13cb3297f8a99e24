"""The demo's "Who took part": an illustrative population profile (labelled as such: these are
not real Census figures), paper and workshop responses with "About you" answers, and answers
from some of the demo residents, so that the "Who took part" pages show figures."""

from __future__ import annotations

import random
from datetime import timedelta

from ..equality import census
from ..equality import services as equality
from ..ideas.models import Source
from ..ideas.offline import record_event

# Illustrative shares of the area's population (per thousand), group by group.
PROFILE: dict[str, dict[str, int]] = {
    "age_band": {
        "16_24": 95,
        "25_34": 120,
        "35_44": 125,
        "45_54": 160,
        "55_64": 170,
        "65_74": 160,
        "75_over": 170,
    },
    "sex": {"female": 515, "male": 485},
    "gender_identity": {"same": 993, "different": 7},
    "ethnic_group": {"asian": 22, "black": 9, "mixed": 21, "white": 940, "other": 8},
    "disability": {"limited_a_lot": 95, "limited_a_little": 125, "not_disabled": 780},
    "religion": {
        "none": 410,
        "christian": 520,
        "buddhist": 6,
        "hindu": 5,
        "jewish": 3,
        "muslim": 10,
        "sikh": 1,
        "other": 45,
    },
    "sexual_orientation": {"straight": 955, "gay_lesbian": 18, "bisexual": 17, "other": 10},
    "carer": {"none": 890, "up_to_19": 60, "20_49": 20, "50_over": 30},
}
AREA_PEOPLE = 550_000  # about the size of a county


def _answer(rng: random.Random, weights: dict[str, int], skew: dict[str, float]) -> str:
    """One answer drawn from the profile, leaned by ``skew`` (who turns up to consult)."""
    codes = list(weights)
    values = [weights[c] * skew.get(c, 1.0) for c in codes]
    return rng.choices(codes, values)[0]


def _person(rng: random.Random) -> dict[str, str]:
    """The answers of one made-up respondent: older and whiter than the area, as is usual."""
    from ..equality.questions import question

    answers = {
        "age_band": _answer(rng, PROFILE["age_band"], {"16_24": 0.3, "25_34": 0.5, "65_74": 1.6}),
        "sex": _answer(rng, PROFILE["sex"], {"female": 1.2}),
        "gender_identity": _answer(rng, PROFILE["gender_identity"], {}),
        "disability": rng.choice(
            ["limited_a_lot", "limited_a_little", "no_condition", "no_condition", "no_condition"]
        ),
        "religion": _answer(rng, PROFILE["religion"], {"christian": 1.2}),
        "sexual_orientation": _answer(rng, PROFILE["sexual_orientation"], {}),
        "carer": rng.choice(["no", "no", "no", "no", "up_to_9", "20_34"]),
    }
    group = _answer(rng, PROFILE["ethnic_group"], {"asian": 0.4, "black": 0.3})
    answers["ethnic_group"] = next(
        o.code for o in question("ethnic_group").options if o.group == group
    )
    for name in list(answers):
        if rng.random() < 0.06:
            answers[name] = "prefer_not"
    return answers


def load_who_took_part(people, consultations, places, now) -> None:
    """The illustrative profile, and a batch of paper forms and a workshop's responses for an
    early-round consultation (closed, its results public). The demo's few residents give no
    answers: fewer than ten of them, they would only be "Not shown"."""
    rng = random.Random(18)
    for name, shares in PROFILE.items():
        census.store_population(
            name,
            {group: share * AREA_PEOPLE // 1000 for group, share in shares.items()},
            census.ILLUSTRATIVE,
            True,
        )
    paper = record_event(
        consultations[5],
        people["facilitator"],
        Source.PAPER,
        "Paper forms from the libraries",
        (now - timedelta(days=60)).date(),
        place="Libraries across East Sussex",
        attendees=56,
    )
    for _ in range(56):
        equality.record_response(paper, people["facilitator"], _person(rng), consent=True)
    workshop = record_event(
        consultations[5],
        people["facilitator"],
        Source.EVENT,
        "Eastbourne carers' group workshop",
        (now - timedelta(days=50)).date(),
        place="Eastbourne",
        neighbourhood_id=places["Eastbourne"].id if "Eastbourne" in places else None,
        attendees=34,
    )
    for _ in range(34):
        equality.record_response(workshop, people["facilitator"], _person(rng), consent=True)
