"""The six Keep it Local principles, as the network states them, with help written for residents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principle:
    number: int
    title: str
    explanation: str
    question: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        1,
        "Think about the whole system not individual service siloes",
        "Problems like loneliness, debt or poor health rarely fit one council department. "
        "This principle asks the council, the NHS, police, schools and community groups to work "
        "as one system around people's lives instead of passing them between separate services.",
        "Where have you seen services fail to join up, and what would make them work together "
        "around you and your family?",
    ),
    Principle(
        2,
        "Co-ordinate services at a neighbourhood level",
        "We live our lives in neighbourhoods. This principle asks the council to plan services "
        "around towns and villages, using local places and spaces and the groups people already "
        "trust, so help is close to home.",
        "What should be available in your neighbourhood, and who locally is best placed to "
        "provide it?",
    ),
    Principle(
        3,
        "Increase local spend to invest in the local economy",
        "Every pound the council spends can do more if it stays in the area. This principle asks "
        "the council and other large local employers to buy from, employ and invest in local "
        "people and businesses.",
        "How could the council spend its money so that more of it stays in our area and benefits "
        "local people?",
    ),
    Principle(
        4,
        "Focus on early intervention now to save costs tomorrow",
        "It is better, and usually cheaper, to help people before problems become crises. This "
        "principle asks the council to shift effort towards prevention, working with communities "
        "who often spot problems first.",
        "What help, given earlier, would stop problems in your community from becoming crises?",
    ),
    Principle(
        5,
        "Commit to your community and proactively support local organisations",
        "Charities, community groups and social enterprises make a place stronger whether or not "
        "the council pays them to deliver services. This principle asks the council to listen to "
        "them, fund them simply and help them thrive.",
        "What would help local community organisations to do more of what they do best?",
    ),
    Principle(
        6,
        "Commission services simply and collaboratively so they are \u201clocal by default\u201d",
        "How the council buys services decides who can deliver them. This principle asks for "
        "contracts that are simple and proportionate, value social good, and are designed with "
        "local organisations so small local providers can take part.",
        "What gets in the way of small local organisations winning council contracts, and what "
        "should change?",
    ),
)


def principle(number: int) -> Principle:
    """The principle with this number (1 to 6)."""
    return PRINCIPLES[number - 1]
