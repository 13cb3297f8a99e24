"""The "About you" questions: the UK's harmonised standards (ONS and the Government Statistical
Service), worded as the 2021 Census asked them, each with "Prefer not to say".

Each ``Question`` lists the answers a person can give (``options``, stored by code) and the
groups the figures count them in (``groups``: several answers may fall in one Census group, as
the 19 ethnic groups do in the five high-level ones). The population tables uploaded from the
Census are counted in the same groups, so a figure and its population always match.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = "Prefer not to say"


@dataclass(frozen=True)
class Option:
    """One answer: its stored code, its words, and the Census group it is counted in."""

    code: str
    label: str
    group: str


@dataclass(frozen=True)
class Group:
    """A category the figures count people in, with the Census's words for it."""

    code: str
    label: str
    census_labels: tuple[str, ...] = ()  # other ways Nomis writes it


@dataclass(frozen=True)
class Question:
    """One harmonised question. ``special`` is special category data (UK GDPR Article 9):
    stored only with the person's explicit consent."""

    name: str
    characteristic: str  # the heading on "Who took part"
    text: str
    hint: str
    options: tuple[Option, ...]
    groups: tuple[Group, ...]
    special: bool = False
    census_table: str = ""  # the Census 2021 table on Nomis that counts the population

    def option(self, code: str | None) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def group_of(self, code: str | None) -> str | None:
        """The group an answer is counted in (None for no answer or prefer not to say)."""
        found = self.option(code)
        return found.group if found else None

    def label_of(self, code: str | None) -> str:
        if code == PREFER_NOT:
            return PREFER_NOT_LABEL
        found = self.option(code)
        return found.label if found else "Not answered"

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(o.code, o.label) for o in self.options] + [(PREFER_NOT, PREFER_NOT_LABEL)]


def _simple(*pairs: tuple[str, str]) -> tuple[tuple[Option, ...], tuple[Group, ...]]:
    """Questions whose every answer is its own group."""
    return (
        tuple(Option(code, label, code) for code, label in pairs),
        tuple(Group(code, label) for code, label in pairs),
    )


_AGE = (
    ("16_24", "16 to 24"),
    ("25_34", "25 to 34"),
    ("35_44", "35 to 44"),
    ("45_54", "45 to 54"),
    ("55_64", "55 to 64"),
    ("65_74", "65 to 74"),
    ("75_over", "75 or over"),
)
AGE_BOUNDS = {  # the years each band covers, for reading Census age columns
    "16_24": (16, 24),
    "25_34": (25, 34),
    "35_44": (35, 44),
    "45_54": (45, 54),
    "55_64": (55, 64),
    "65_74": (65, 74),
    "75_over": (75, 200),
}

_ETHNIC = (
    (
        "asian",
        "Asian, Asian British or Asian Welsh",
        ("Indian", "Pakistani", "Bangladeshi", "Chinese", "Any other Asian background"),
    ),
    (
        "black",
        "Black, Black British, Black Welsh, Caribbean or African",
        ("Caribbean", "African", "Any other Black, Black British or Caribbean background"),
    ),
    (
        "mixed",
        "Mixed or Multiple ethnic groups",
        (
            "White and Black Caribbean",
            "White and Black African",
            "White and Asian",
            "Any other Mixed or Multiple ethnic background",
        ),
    ),
    (
        "white",
        "White",
        (
            "English, Welsh, Scottish, Northern Irish or British",
            "Irish",
            "Gypsy or Irish Traveller",
            "Roma",
            "Any other White background",
        ),
    ),
    ("other", "Other ethnic group", ("Arab", "Any other ethnic group")),
)


def _ethnic() -> tuple[tuple[Option, ...], tuple[Group, ...]]:
    options = []
    for group, heading, answers in _ETHNIC:
        for n, answer in enumerate(answers):
            options.append(Option(f"{group}_{n}", f"{heading.split(',')[0]}: {answer}", group))
    groups = tuple(Group(code, heading) for code, heading, _answers in _ETHNIC)
    return tuple(options), groups


_ethnic_options, _ethnic_groups = _ethnic()

QUESTIONS: tuple[Question, ...] = (
    Question(
        "age_band",
        "Age",
        "What is your age?",
        "",
        *_simple(*_AGE),
        census_table="TS007A (Age by five-year age bands)",
    ),
    Question(
        "sex",
        "Sex",
        "What is your sex?",
        "A question about gender identity follows.",
        *_simple(("female", "Female"), ("male", "Male")),
        census_table="TS008 (Sex)",
    ),
    Question(
        "gender_identity",
        "Gender identity",
        "Is the gender you identify with the same as your sex registered at birth?",
        "",
        *_simple(("same", "Yes"), ("different", "No")),
        special=True,
        census_table="TS078 (Gender identity)",
    ),
    Question(
        "ethnic_group",
        "Ethnic group",
        "What is your ethnic group?",
        "Choose the option that best describes your ethnic group or background.",
        _ethnic_options,
        _ethnic_groups,
        special=True,
        census_table="TS021 (Ethnic group)",
    ),
    Question(
        "disability",
        "Disability",
        "Do you have any physical or mental health conditions or illnesses lasting or expected "
        "to last 12 months or more, and do they reduce your ability to carry out day-to-day "
        "activities?",
        "This is the Government Statistical Service's harmonised question on disability.",
        (
            Option("limited_a_lot", "Yes, and they reduce my ability a lot", "limited_a_lot"),
            Option(
                "limited_a_little", "Yes, and they reduce my ability a little", "limited_a_little"
            ),
            Option(
                "condition_not_limited", "Yes, but they do not reduce my ability", "not_disabled"
            ),
            Option("no_condition", "No", "not_disabled"),
        ),
        (
            Group("limited_a_lot", "Disabled: day-to-day activities limited a lot"),
            Group("limited_a_little", "Disabled: day-to-day activities limited a little"),
            Group("not_disabled", "Not disabled"),
        ),
        special=True,
        census_table="TS038 (Disability)",
    ),
    Question(
        "religion",
        "Religion",
        "What is your religion?",
        "",
        *_simple(
            ("none", "No religion"),
            ("christian", "Christian"),
            ("buddhist", "Buddhist"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other", "Any other religion"),
        ),
        special=True,
        census_table="TS030 (Religion)",
    ),
    Question(
        "sexual_orientation",
        "Sexual orientation",
        "Which of the following best describes your sexual orientation?",
        "",
        *_simple(
            ("straight", "Straight or Heterosexual"),
            ("gay_lesbian", "Gay or Lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Other sexual orientation"),
        ),
        special=True,
        census_table="TS077 (Sexual orientation)",
    ),
    Question(
        "carer",
        "Unpaid care",
        "Do you look after, or give any help or support to, anyone because they have long-term "
        "physical or mental health conditions or illnesses, or problems related to old age?",
        "Do not count anything you do as part of your paid employment.",
        (
            Option("no", "No", "none"),
            Option("up_to_9", "Yes, 9 hours a week or less", "up_to_19"),
            Option("10_19", "Yes, 10 to 19 hours a week", "up_to_19"),
            Option("20_34", "Yes, 20 to 34 hours a week", "20_49"),
            Option("35_49", "Yes, 35 to 49 hours a week", "20_49"),
            Option("50_over", "Yes, 50 or more hours a week", "50_over"),
        ),
        (
            Group("none", "Provides no unpaid care"),
            Group("up_to_19", "Provides 19 hours or less unpaid care a week"),
            Group("20_49", "Provides 20 to 49 hours unpaid care a week"),
            Group("50_over", "Provides 50 or more hours unpaid care a week"),
        ),
        census_table="TS039 (Provision of unpaid care)",
    ),
)

BY_NAME = {q.name: q for q in QUESTIONS}
SPECIAL = tuple(q.name for q in QUESTIONS if q.special)


def question(name: str) -> Question:
    """The question of that name (KeyError for an unknown one)."""
    return BY_NAME[name]
