"""What the demo council says: its neighbourhoods, people, ideas, comments, organisation, the
early round's summaries and the ideas gathered at an offline event (``load_demo`` loads them)."""

from __future__ import annotations

from ..accounts.models import Role

NEIGHBOURHOODS = [
    ("Eastbourne", 103_000),
    ("Hastings", 91_000),
    ("Lewes", 100_000),
    ("Rother", 93_000),
    ("Wealden", 162_000),
]

PEOPLE = [
    ("admin@demo.kil.example", "Priya (Council officer)", Role.ADMIN, None),
    ("facilitator@demo.kil.example", "Tom (Community development)", Role.FACILITATOR, None),
    ("amira@demo.kil.example", "Amira", Role.RESIDENT, "Hastings"),
    ("dave@demo.kil.example", "Dave", Role.RESIDENT, "Eastbourne"),
    ("sian@demo.kil.example", "Siân", Role.RESIDENT, "Lewes"),
    ("jo@demo.kil.example", "Jo", Role.RESIDENT, "Rother"),
    ("kwame@demo.kil.example", "Kwame", Role.RESIDENT, "Wealden"),
    ("volunteer@demo.kil.example", "Helen (Hastings Community Larder)", Role.RESIDENT, "Hastings"),
]


# (principle number, author email, neighbourhood or None, title, body)
IDEAS = [
    (
        1,
        "amira",
        "Hastings",
        "One key worker for families with several needs",
        "My neighbour had to tell her story to six different services after her husband died. "
        "One named person who joins up housing, benefits and health would save everyone time.",
    ),
    (
        1,
        "dave",
        None,
        "Shared records between council and GP surgeries",
        "With consent, let services see the same notes so people are not asked the same "
        "questions again and again.",
    ),
    (
        1,
        "sian",
        "Lewes",
        "Joint budgets for prevention across council and NHS",
        "Pool a small part of council and NHS budgets locally so that money follows the person.",
    ),
    (
        1,
        "volunteer",
        "Hastings",
        "Invite community groups to multi-agency meetings",
        "Groups like ours often know the family best but are never in the room.",
    ),
    (
        1,
        "kwame",
        None,
        "A single front door for help",
        "One phone number and one website for any kind of help, staffed by people who can act.",
    ),
    (
        2,
        "jo",
        "Rother",
        "Community hubs in village halls",
        "Use village halls one day a week for advice, health checks and council services.",
    ),
    (
        2,
        "amira",
        "Hastings",
        "Neighbourhood budgets decided by residents",
        "Give each neighbourhood a small budget and let residents vote on how to spend it.",
    ),
    (
        2,
        "dave",
        "Eastbourne",
        "Keep libraries open as community spaces",
        "Libraries are the last warm, free place in many towns. Open them longer and host other "
        "services in them.",
    ),
    (
        2,
        "kwame",
        "Wealden",
        "Better rural bus links to services",
        "Services in the towns are no use if you cannot get to them from the villages.",
    ),
    (
        2,
        "sian",
        "Lewes",
        "Named neighbourhood contacts at the council",
        "Each area should have a named officer that groups can call.",
    ),
    (
        3,
        "dave",
        "Eastbourne",
        "Buy food for schools from Sussex farms",
        "School meals and care homes could source far more from local producers.",
    ),
    (
        3,
        "jo",
        None,
        "Publish council spend with local suppliers every quarter",
        "Show us how much of the budget stays in East Sussex so we can see progress.",
    ),
    (
        3,
        "kwame",
        "Wealden",
        "Split big contracts into smaller lots",
        "Small local firms cannot bid for county-wide contracts. Smaller lots let them compete.",
    ),
    (
        3,
        "amira",
        "Hastings",
        "Pay the real living wage in council contracts",
        "Money paid to local workers is spent locally.",
    ),
    (
        3,
        "sian",
        None,
        "Local apprenticeships through council suppliers",
        "Ask every large supplier to take on apprentices from the area.",
    ),
    (
        4,
        "volunteer",
        "Hastings",
        "Fund food banks to offer debt advice on the spot",
        "People come to us at crisis point. Advice at the larder would stop evictions.",
    ),
    (
        4,
        "sian",
        "Lewes",
        "Youth clubs in every town",
        "Youth work costs a fraction of what it costs to deal with problems later.",
    ),
    (
        4,
        "jo",
        "Rother",
        "Falls prevention classes for older people",
        "Balance and strength classes in community centres prevent hospital admissions.",
    ),
    (
        4,
        "dave",
        None,
        "Early help for families without a referral",
        "Families should be able to ask for help before things get serious, without a referral.",
    ),
    (
        4,
        "amira",
        "Hastings",
        "Mental health drop-ins run with local charities",
        "Drop-in sessions in familiar places, not only clinics.",
    ),
    (
        5,
        "volunteer",
        "Hastings",
        "Three-year grants instead of one-year grants",
        "Small charities spend months each year re-applying. Longer grants let us plan and keep "
        "staff.",
    ),
    (
        5,
        "kwame",
        "Wealden",
        "Hand unused council buildings to community groups",
        "Community asset transfer of empty buildings for a peppercorn rent.",
    ),
    (
        5,
        "sian",
        None,
        "Simple application forms for small grants",
        "A two-page form for grants under five thousand pounds.",
    ),
    (
        5,
        "jo",
        "Rother",
        "A community organisations forum with the council",
        "Meet every quarter so groups can raise issues with senior officers.",
    ),
    (
        5,
        "dave",
        "Eastbourne",
        "Free training for volunteers",
        "Safeguarding, first aid and food hygiene training for volunteers at no cost.",
    ),
    (
        6,
        "kwame",
        None,
        "Score social value in every tender",
        "Give real weight to local jobs, volunteering and environmental benefits when choosing "
        "suppliers.",
    ),
    (
        6,
        "volunteer",
        "Hastings",
        "Design services with providers before tendering",
        "Talk to local organisations before writing the specification, not after.",
    ),
    (
        6,
        "amira",
        None,
        "Pay small suppliers within ten days",
        "Late payment can sink a small charity or business.",
    ),
    (
        6,
        "jo",
        "Rother",
        "Let consortia of small charities bid together",
        "Help small groups form partnerships so they can bid for bigger contracts.",
    ),
    (
        6,
        "sian",
        "Lewes",
        "Plain English tender documents",
        "Fewer pages, no jargon, and a named contact to answer questions.",
    ),
]

COMMENTS = [
    ("dave", "I agree. My mum was passed between four teams after her fall."),
    ("sian", "This works well in Lewes already for some families. It should be everywhere."),
    ("jo", "How would this be paid for? I support it but we need to know what stops."),
    ("kwame", "Villages in Wealden need this as much as the towns do."),
    ("amira", "Yes, and please make sure it works for people who are not online."),
    ("volunteer", "We would be glad to help with this in Hastings."),
]
ORGANISATION = {
    "name": "Hastings Community Larder",
    "slug": "hastings-community-larder",
    "description": (
        "A volunteer-run community larder in central Hastings. Every week we share good surplus "
        "food from local shops and farms with around 300 households for a small membership "
        "fee, and run cooking sessions, a warm space and drop-in advice on debt, benefits and "
        "energy bills with our partners."
    ),
    "website": "https://hastingslarder.example.org.uk",
    "registration_number": "1187452",
    "neighbourhoods": ["Hastings"],
    # Ideas its volunteer shared on the larder's behalf (by title).
    "ideas": [
        "Fund food banks to offer debt advice on the spot",
        "Three-year grants instead of one-year grants",
    ],
}

REPLIES = [
    ("amira", "Good question. Could it come from the money saved on crisis services?"),
    ("dave", "Agreed, not everyone has the internet at home."),
]


SUMMARIES = {
    5: {
        "overview": "People told us that small charities and community groups do much of the "
        "work that keeps East Sussex going, and that one-year grants and long forms get in the "
        "way. Volunteers asked for training and for a regular place to raise problems with the "
        "council.",
        "themes": "- **Longer, simpler funding**\n- **Buildings for community use**\n"
        "- **Support for volunteers**",
        "decision": "The council will offer three-year grants to community organisations from "
        "April, with a two-page form for grants under £5,000, and will hold a quarterly forum "
        "with community organisations chaired by the Cabinet member.",
        "connection": "Three-year grants and simple forms were the two most supported ideas; "
        "the forum answers the idea that groups need a regular way to reach senior officers.",
        "findings": [
            ("Longer grants were the most supported idea in every area.", ("Three-year grants",)),
            ("Simple forms for small grants had wide support.", ("Simple application forms",)),
        ],
    },
    6: {
        "overview": "People want the council to buy from local organisations by default: "
        "simpler tenders, weight for social value, and faster payment to small suppliers.",
        "themes": "- **Social value in tenders**\n- **Plain, proportionate tendering**",
        "decision": "From the next financial year, every tender over £25,000 will give at least "
        "20% of its score to social value, and suppliers with fewer than 50 staff will be paid "
        "within ten days.",
        "connection": "Scoring social value and paying small suppliers quickly were the ideas "
        "with most agreement; both are now in the council's procurement rules.",
        "findings": [
            (
                "Social value should carry real weight when choosing suppliers.",
                ("Score social value",),
            ),
            ("Late payment hurts small local suppliers most.", ("Pay small suppliers",)),
        ],
    },
}


OFFLINE_IDEAS = [
    (
        "Market stalls for local makers at council events",
        "Give local producers free pitches at council-run fairs.",
        "Stallholder",
    ),
    (
        "Council canteens should buy from local bakeries",
        "Bread and cakes from bakeries in the town, not a national chain.",
        "Café owner",
    ),
    (
        "Advertise small contracts in the local paper",
        "Many small firms never see the council's procurement website.",
        "Retired builder",
    ),
]
