"""The four-level scale a council rates itself on, and each principle's default descriptors.

The descriptors are written from what each principle asks of a council
(``consultations/principles.py``); an admin may reword them (``LevelDescriptor`` rows override
these defaults).
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS: tuple[tuple[int, str], ...] = (
    (1, "Starting out"),
    (2, "Developing"),
    (3, "Established"),
    (4, "Leading"),
)
LEVEL_LABELS = dict(LEVELS)

# What each principle asks, as a phrase that finishes "We are ..." (from the principle's text).
AIMS: dict[int, str] = {
    1: "working as one system with the NHS, police, schools and community groups around "
    "people's lives, instead of passing them between separate services",
    2: "planning services around towns, villages and neighbourhoods, using local places and "
    "the groups people already trust",
    3: "buying from, employing and investing in local people and businesses, so that more of "
    "every pound stays in the area",
    4: "shifting effort towards prevention, helping people before problems become crises, "
    "with the communities who spot them first",
    5: "listening to local charities, community groups and social enterprises, funding them "
    "simply and helping them thrive",
    6: "commissioning with simple, proportionate contracts that value social good and are "
    "designed with local organisations",
}


@dataclass(frozen=True)
class Descriptor:
    """What one level means for one principle."""

    principle: int
    level: int
    label: str
    text: str


def default_descriptor(principle: int, level: int) -> Descriptor:
    """The descriptor this code writes for a level of a principle."""
    aim = AIMS[principle]
    text = {
        1: f"We have not yet started {aim}, beyond one-off projects.",
        2: f"We have started {aim} in some services or places, and have a plan to go further.",
        3: f"We are {aim} in most of our services, and can show the evidence.",
        4: f"We are {aim} across the council and with our partners, and other councils learn "
        "from what we do.",
    }[level]
    return Descriptor(principle, level, LEVEL_LABELS[level], text)
