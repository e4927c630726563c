"""A fictional demo workspace, so a newcomer can explore Circle without any real data.

`load_demo()` (run by `python -m db demo`) adds two made-up teams: "Riverside Early Help",
with about two months of weekly group supervision behind it and one session coming up this
week, and the smaller "Northgate Family Support", which Riverside's people cannot see.
There is a manager over both, a trainer with an induction cohort and an administrator.
Every account shares `DEMO_PASSWORD`; `DEMO_SIGNINS` says who to sign in as and what to try.

Everything is invented: case references are made-up initials and numbers, and every person
is fictional. The text is written the way the practice speaks (see LANGUAGE.md).

The load is one transaction (all or nothing), does nothing if the demo team is already
there, and is deterministic: one seeded random generator, and every date counted from
`today`, so "this week" always has a planned session.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from db import clock
from db.accounts import hash_password
from db.clock import utcnow
from db.engine import session_scope
from db.models import (
    ACTION_STATUSES,
    CASE_STATUSES,
    REVIEW_NEXT,
    REVIEW_OUTCOMES,
    WHOSE_RISK,
    WORK_KINDS,
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    CaseMapping,
    CaseMappingRevision,
    ClosingCheckIn,
    CohortMember,
    Exercise,
    ExerciseAnswer,
    ExerciseRun,
    InductionTheme,
    Membership,
    NetworkMember,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    Team,
    TrainingCohort,
)

DEMO_PASSWORD = "circle demo 2026"
DEMO_TEAM = "Riverside Early Help"
SECOND_TEAM = "Northgate Family Support"
_SEED = 20260113
_PAST_WEEKS = 9  # closed Riverside sessions before this week's planned one


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    display_name: str
    role: str
    what_to_try: str


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    teams: int
    people: int
    cases: int
    sessions: int


# (username, display name, role, team, team role). Job titles live in comments only:
# the schema keeps a person's name, not their profession.
_PEOPLE = (
    ("hannah", "Hannah Okafor", "supervisor", DEMO_TEAM, "supervisor"),
    ("priya", "Priya Shah", "practitioner", DEMO_TEAM, "practitioner"),  # social worker
    ("tom", "Tom Reilly", "practitioner", DEMO_TEAM, "practitioner"),  # early-help worker
    ("amara", "Amara Mensah", "practitioner", DEMO_TEAM, "practitioner"),  # personal adviser
    ("jack", "Jack Doherty", "practitioner", DEMO_TEAM, "practitioner"),  # youth worker
    ("sian", "Sian Evans", "practitioner", DEMO_TEAM, "practitioner"),  # family-hub worker
    ("leo", "Leo Brennan", "practitioner", DEMO_TEAM, "practitioner"),  # new early-help worker
    ("grace", "Grace Adeyemi", "supervisor", SECOND_TEAM, "supervisor"),
    ("ben", "Ben Hughes", "practitioner", SECOND_TEAM, "practitioner"),
    ("kai", "Kai Thompson", "practitioner", SECOND_TEAM, "practitioner"),  # new starter
    ("marcus", "Marcus Bell", "manager", None, None),
    ("ruth", "Ruth Campbell", "trainer", None, None),
    ("jo", "Jo Lewis", "trainee", None, None),  # joined Ruth's induction with its code
    ("alex", "Alex Morgan", "admin", None, None),
)
_NAMES = {u: n for u, n, *_ in _PEOPLE}
_ROLES = {u: r for u, _, r, *_ in _PEOPLE}


def _signin(username: str, what_to_try: str) -> DemoSignIn:
    return DemoSignIn(username, _NAMES[username], _ROLES[username], what_to_try)


DEMO_SIGNINS: tuple[DemoSignIn, ...] = (
    _signin(
        "priya",
        "See your week: the families you work with, your actions, and the worries the team holds with you.",
    ),
    _signin("leo", "New to Riverside: see what the team is already holding alongside you."),
    _signin(
        "hannah",
        "Riverside's supervisor: see the team's week, and which families nobody has talked about lately.",
    ),
    _signin("grace", "Northgate's supervisor: notice that Riverside's records stay out of your view."),
    _signin("marcus", "Look across both teams' weeks: sessions held, worries held together, reviews due."),
    _signin(
        "ruth",
        "Run an exercise live with your induction cohort, see the debrief, and send a theme into a new "
        "starter's supervision; case records stay out of a trainer's view.",
    ),
    _signin(
        "jo", "A new starter who joined with a code: answer the exercise running now; nothing else is open."
    ),
    _signin(
        "alex", "Look after people, teams and roles: add someone, reset a password, deactivate an account."
    ),
)


# --- Riverside's families ----------------------------------------------------------------
# (reference, status, lead, best relationship or None). The first eleven are the families
# the sessions below talk about; the rest sit on the board more quietly.
_CASES = (
    ("JT-07", "active", "priya", "jack"),
    ("RB-1042", "active", "tom", "sian"),
    ("KM-12", "stepping_down", "amara", None),
    ("AD-33", "stuck", "jack", None),
    ("LW-21", "active", "sian", None),
    ("DF-58", "active", "priya", "jack"),
    ("MO-16", "active", "tom", "sian"),
    ("CH-90", "active", "amara", "priya"),
    ("RS-04", "stuck", "jack", None),
    ("EB-45", "new", "leo", "sian"),
    ("NP-72", "stepping_down", "sian", "tom"),
    ("PK-31", "active", "priya", None),
    ("SA-48", "stuck", "tom", "sian"),
    ("ZN-05", "active", "amara", None),
    ("HW-82", "stepping_down", "jack", None),
    ("OC-14", "active", "sian", "tom"),
    ("RB-1077", "active", "priya", "amara"),
    ("FY-22", "active", "amara", "jack"),
    ("IK-39", "stuck", "jack", None),
    ("VT-56", "active", "sian", None),
    ("BL-67", "new", "leo", None),
    ("RB-1103", "new", "tom", None),
    ("RB-1119", "new", "priya", None),
    ("GE-08", "stepping_down", "amara", None),
    ("UA-71", "active", "tom", None),
    ("RB-0988", "closed", "priya", None),
    ("WJ-11", "closed", "sian", None),
    ("TM-40", "closed", "jack", None),
)

# What helps and what gets in the way of each relationship, in the practitioner's words.
_RELATIONSHIP = {
    "JT-07": (
        "He texts back now, and Mum lets me in.",
        "School meetings where everyone talks about him, not with him.",
    ),
    "RB-1042": (
        "Mum tells me what's really going on with money.",
        "Nursery's worries reach Mum before I can talk them through.",
    ),
    "KM-12": (
        "She leads; I follow and remember what matters to her.",
        "Not much now: mostly her busy timetable.",
    ),
    "AD-33": (
        "He keeps coming back, even after a bad weekend.",
        "Dad's worry comes out as shouting, and A walks out.",
    ),
    "LW-21": (
        "L asked for help herself and tells me how she really is.",
        "Her embarrassment on the bad days.",
    ),
    "DF-58": ("D talks easily at the youth club.", "Grown-ups arguing about Dad days over her head."),
    "MO-16": ("Drawing together instead of questions.", "Letters about attendance that frighten Mum."),
    "CH-90": ("He shows me rather than tells me.", "He says 'fine' when he isn't."),
    "RS-04": (
        "He comes to drop-in and eats with us.",
        "He thinks any adult who asks questions will tell the police.",
    ),
    "EB-45": ("Mum is starting to trust me.", "She has told her story to so many people already."),
    "NP-72": (
        "Practical help first: Dad trusts what we do more than what we say.",
        "His pride about asking.",
    ),
}


@dataclass(frozen=True)
class _Visit:
    """One time a family was brought to group supervision, and what came of it."""

    session: int  # index of the past session, 0 = the oldest
    scores: tuple[int, int, int, int]  # trust, feel heard, what matters, hope
    ask: str
    notes: str
    said: str  # what the young person or family would say about the relationship
    changed: str  # what the practitioner changed in response
    act: tuple[str, str, str]  # action, owner, outcome ("done", "open", "carried: why", "dropped: why")
    own_words: bool = False
    kind: str = "reflection"
    summary: tuple[str, bool] | None = None  # case-file summary, and whether it is ready


_VISITS: dict[str, tuple[_Visit, ...]] = {
    "JT-07": (
        _Visit(
            0,
            (5, 4, 5, 4),
            "I want the team to help me think about how to stay alongside Mum while school pushes for exclusion.",
            "Every meeting so far has been in school, on school's terms. Jack said J talks more at boxing. We wondered whether Mum feels judged there. Idea: plan with Mum at home before the next school meeting.",
            "'Everyone talks about me like I'm not there.'",
            "I stopped opening with the school report and asked him about boxing first.",
            ("Visit Mum at home to plan what she wants to say at the school meeting", "priya", "done"),
            own_words=True,
        ),
        _Visit(
            2,
            (6, 5, 6, 5),
            "J has asked for Jack to come to the school meeting. How do we do that without it feeling like we're ganging up on school?",
            "Jack comes as J's person, not as one more professional. Hannah will speak to the deputy head first so the meeting opens with what J is good at. The worry about exclusion is now held by the team.",
            "He'd say Jack gets it, and I'm alright.",
            "I moved our catch-ups to after boxing, when he's calmer.",
            ("Call the deputy head so the meeting starts with J's strengths", "hannah", "done"),
            kind="case_management",
            summary=(
                "Discussed J's school situation in group supervision. Jack (youth worker) will go to the school meeting at J's request; Hannah will speak with school first. The worry about exclusion is held by the team, review in three weeks.",
                True,
            ),
        ),
        _Visit(
            5,
            (6, 6, 7, 6),
            "School has agreed a reduced timetable instead of exclusion. What would help this feel like J's plan and not ours?",
            "Ask J to choose which lessons he keeps. Amara shared her one-page plan written in the young person's own words; Priya will try it with J and Mum together.",
            "'At least they listened this time.'",
            "I wrote the plan with him on my phone, in his words, instead of typing it up later.",
            (
                "Write the one-page plan with J and Mum, in J's words",
                "priya",
                "carried: J was poorly the week we planned it, so it moves to next week.",
            ),
            own_words=True,
        ),
        _Visit(
            8,
            (7, 7, 7, 7),
            "Things are steadier. Help me think about how I keep going when it's going well, and don't drift.",
            "We talked about stickability: staying in touch in the good weeks, not only the hard ones. Boxing with Jack stays the steady thread. J comes back in a month with what he says is different.",
            "He'd say I'm still around, which he didn't expect.",
            "I text on a good day now, not only when something's wrong.",
            ("Ask J what he'd say is different since the autumn, for next time", "priya", "open"),
        ),
    ),
    "RB-1042": (
        _Visit(
            1,
            (7, 7, 6, 6),
            "Mum has started to tell me about the money worries. How do I keep that trust while being honest that nursery are worried about R's days there?",
            "Honesty early is kinder than a surprise later. Sian said Mum comes to stay-and-play on Fridays and is relaxed there. Idea: Tom joins one Friday so it isn't always a home visit.",
            "She'd say I'm the first worker who hasn't judged her.",
            "I bring the budget sheet so we fill it in together, rather than leaving it with her.",
            ("Join Mum at Friday stay-and-play with Sian", "tom", "done"),
        ),
        _Visit(
            4,
            (7, 8, 7, 6),
            "Money is better. I'd like help planning how we talk with Mum about stepping down next term.",
            "The team was cautious: nursery still raise small worries. No rush to step down; ask Mum what she would want to keep.",
            "'Don't go yet.'",
            "I asked Mum what she'd want from us if we stepped back, before deciding anything.",
            (
                "Ask nursery to put their worries in writing so Mum can see them too",
                "tom",
                "dropped: Nursery went through their worries with Mum in person at the review, which was better.",
            ),
            own_words=True,
        ),
        _Visit(
            7,
            (4, 5, 6, 5),
            "I had to share a worry about a mark on R's arm with the front door. Mum feels betrayed. Am I still the right person, and how do I repair this?",
            "Tom did what any of us would have done, and he told Mum first. Trust dropping shows how much the relationship mattered. Sian may be best placed to visit with him for now. Repair starts with owning the hurt, not defending the decision.",
            "'I told you everything and you went behind my back.'",
            "I went back the next day to explain face to face rather than leave it to a letter.",
            ("Visit Mum with Tom this week: listen first, then explain what happens next", "sian", "open"),
            own_words=True,
            kind="case_management",
            summary=(
                "Tom shared a worry about a mark on R's arm with the social-care front door, telling Mum first. The team thought about repairing trust with Mum; Sian and Tom will visit together. The worry is held by the team.",
                False,
            ),
        ),
    ),
    "KM-12": (
        _Visit(
            0,
            (8, 8, 9, 8),
            "K has started college. I'd like to share what's working, and think about what 'enough' support looks like now.",
            "K chose her own course and Amara followed her lead. The team noticed how Amara fits visits around K's timetable. Fortnightly texts and a monthly coffee from now on.",
            "'You actually remember stuff about me.'",
            "I moved our meet-ups to the college café, at her suggestion.",
            ("Share the one-page plan template with the team", "amara", "done"),
            own_words=True,
        ),
        _Visit(
            3,
            (9, 9, 9, 9),
            "K wants to learn to drive and asked for help with the cost. How do we say yes in a way that's fair?",
            "We looked at what the local offer allows. Everyone agreed this is exactly what a parent would help with.",
            "She'd say we treat her like an adult now.",
            "I asked her to make the call to the driving school herself.",
            ("Check what the local offer says about driving lessons", "hannah", "done"),
            kind="case_management",
        ),
        _Visit(
            6,
            (10, 10, 10, 10),
            "K says she doesn't need us much any more. Help me think about ending well and leaving the door open.",
            "The team celebrated. K chooses how and when; a card with Amara's number; a check-in after three months. Stepping down agreed, door left open.",
            "'I'll text you if I need you. I know you'll answer.'",
            "I asked K how she wants us to say goodbye, rather than planning it for her.",
            ("Plan the last visit with K: her choice of place and who comes", "amara", "open"),
            own_words=True,
            summary=(
                "K is doing well at college and in her flat. Stepping down agreed with K, at her pace, with a check-in after three months.",
                True,
            ),
        ),
    ),
    "AD-33": (
        _Visit(
            1,
            (4, 4, 5, 3),
            "A has stayed out all night twice. Dad wants us to 'do something'. Help me think about what's his worry and what's mine.",
            "Which risk are we managing? Some of it is a 16-year-old wanting independence; some is real, because nobody knows where he goes. Ask A where he feels safe in town, not where he shouldn't go.",
            "He'd say everyone's on at him.",
            "I asked A to show me his town instead of asking where he'd been.",
            ("Walk round town with A and map the places he feels safe", "jack", "done"),
        ),
        _Visit(
            3,
            (5, 5, 5, 4),
            "A showed me where he goes: mostly a mate's flat. How do I talk to Dad without breaking A's trust?",
            "A decides what Dad hears, with Jack beside him. Hannah named that Dad is scared, not angry. A helped write a 'text when you're staying over' deal.",
            "'I'm at my mate's, it's not that deep.'",
            "I let A choose what to tell his dad and sat with him while he did.",
            (
                "Meet A and Dad together to agree the texting deal",
                "jack",
                "carried: Dad's shifts changed, so we meet next week.",
            ),
            own_words=True,
        ),
        _Visit(
            6,
            (5, 6, 6, 5),
            "The texting deal mostly works, but A went quiet for a weekend. I'm stuck. Am I holding this alone?",
            "He isn't: the team holds this with him. Priya offered to talk with Dad about his own worries. The plan changes so Dad has someone to call at weekends.",
            "He'd say I'm alright but I worry too much.",
            "I stopped texting every hour when he goes quiet: one message, then wait.",
            ("Give Dad the out-of-hours number and talk through when to use it", "priya", "done"),
            kind="case_management",
        ),
        _Visit(
            8,
            (6, 6, 7, 6),
            "A has a trial at the bike workshop. I'd like ideas for keeping it going if it wobbles.",
            "Be aspirational with A. Leo knows the workshop manager from his last job and offered an introduction. Check in with A after his first week.",
            "'Don't jinx it.'",
            "I let him tell me about the workshop without turning it into a plan.",
            ("Introduce Jack to the bike workshop manager", "leo", "open"),
            own_words=True,
        ),
    ),
    "LW-21": (
        _Visit(
            2,
            (6, 6, 6, 5),
            "L says some mornings she can't get up. Help me think about what support she would actually want.",
            "Ask L what a good morning looks like. Tom knows the mums' group at the hub meets at eleven, not nine. The health visitor could join a visit if L wants.",
            "'I don't want you thinking I can't cope.'",
            "I visit later in the morning now, when she's up and ready.",
            ("Ask L whether she'd like the health visitor at the next visit", "sian", "done"),
            own_words=True,
        ),
        _Visit(
            4,
            (6, 7, 6, 6),
            "L's GP has started her on medication. How do we keep the children's days in view while supporting her?",
            "The team held both: L's recovery and the children's mornings. Nan lives nearby and can help two mornings a week. The worry is logged so we hold it together.",
            "She'd say I'm on her side.",
            "I asked L who she'd want to help, instead of suggesting Nan myself.",
            ("Meet L and Nan to plan the two mornings", "sian", "done"),
            kind="case_management",
        ),
        _Visit(
            7,
            (7, 7, 7, 7),
            "L went to the mums' group twice. Help me notice what's changed, so we can tell her.",
            "L is up and dressed most days, the toddler is at nursery, Nan's mornings are steady. Tell L what we see, and ask what she sees.",
            "'I feel like me again, some days.'",
            "I share what I notice going well now, not only what worries me.",
            ("Write to L with what the team has noticed going well", "sian", "open"),
            own_words=True,
        ),
    ),
    "DF-58": (
        _Visit(
            1,
            (6, 5, 6, 6),
            "D's Nan is tired and Dad wants more family time. Help me keep D's voice in the middle of it.",
            "Ask D directly what she wants family time to be, away from Nan and Dad. Jack sees D at the youth club, where she talks easily.",
            "She'd say nobody asks her.",
            "I asked D what she calls time with Dad: 'Dad days', so that's what we call it.",
            ("Ask D, with Jack, how she'd like Dad days to look", "jack", "done"),
        ),
        _Visit(
            5,
            (6, 6, 6, 5),
            "Dad came to family time after drinking and D was upset. How do we keep family time going safely?",
            "We separated D's wish to see Dad from the worry about drinking. Family time moves to the family centre with a worker there for now, and Priya tells D why, honestly.",
            "'It's not fair, it was his fault, not mine.'",
            "I explained the change to D first, so she didn't hear it second-hand.",
            ("Talk with Dad about what happened and what would make Dad days safe again", "priya", "done"),
            own_words=True,
            kind="case_management",
            summary=(
                "Family time for D moves to the family centre with a worker there, after Dad arrived having been drinking. D was told first. The worry is held by the team.",
                True,
            ),
        ),
        _Visit(
            8,
            (7, 6, 7, 6),
            "Dad days at the family centre are going alright. Nan is worn out. What support can we think of for her?",
            "Nan needs someone for her too. Sian suggested the kinship carers' group at the hub; D's aunt could have D for a weekend now and then.",
            "D would say Nan is the best, but she's tired.",
            "I sometimes visit Nan on her own, so she has room to say how she is.",
            ("Introduce Nan to the kinship carers' group at the hub", "sian", "open"),
        ),
    ),
    "MO-16": (
        _Visit(
            0,
            (5, 5, 6, 4),
            "M hasn't been in school for five weeks. School want a plan. Help me see it from M's side.",
            "M not going is telling us something. Sian says he is relaxed at Saturday art club. Idea: ask M what makes school too much, through drawing rather than questions.",
            "He'd say school is too loud.",
            "I brought paper and pens and let M draw his school day.",
            ("Ask school for a quiet start room and a named adult", "tom", "done"),
        ),
        _Visit(
            3,
            (5, 6, 6, 5),
            "The attendance team are talking about fining Mum. I think it would make things worse. Help me make that case well.",
            "This is anxiety about attendance figures as much as risk to M. Hannah will ask the attendance lead to pause the fine while a gradual return is tried. Logged as a risk the team holds.",
            "'Mum cried when the letter came.'",
            "I told Mum what I was going to say to school before I said it.",
            ("Write to the attendance lead asking to pause the fine", "hannah", "done"),
            own_words=True,
            kind="case_management",
        ),
        _Visit(
            6,
            (6, 7, 7, 6),
            "M did two mornings in the quiet room. How do we build on this without pushing too fast?",
            "Small steps are worth celebrating. Two mornings a week for two more weeks, then M decides. The art teacher will meet M in the quiet room.",
            "He'd say the quiet room is alright.",
            "I let M set the pace; he chose the next step.",
            (
                "Ask M what he'd like his third morning to be",
                "tom",
                "carried: M was poorly that week; we'll ask him at art club instead.",
            ),
        ),
    ),
    "CH-90": (
        _Visit(
            2,
            (6, 6, 7, 6),
            "C moves into his own flat next month. He says he's fine. Help me think about what 'fine' might be covering.",
            "Moves stir up old losses. Priya knew C at 15 and said he went quiet before every move. Amara and Priya will visit together once before he moves.",
            "'I've moved loads, it's nothing.'",
            "I asked C what his past moves were like, and listened.",
            ("Visit C with Priya before the move", "amara", "done"),
            own_words=True,
        ),
        _Visit(
            5,
            (7, 7, 7, 7),
            "C is settled in, but money runs out by the second week. How do I help without taking over?",
            "Budget together with C in charge. Tom shared the hub's money advice sessions. The friend he borrowed from has been paid back.",
            "He'd say I don't nag.",
            "I asked him to show me his banking app instead of telling me about it.",
            ("Offer C a place at the hub's money advice session, if he wants one", "amara", "done"),
        ),
        _Visit(
            7,
            (7, 8, 8, 7),
            "C wants to see his mum again after two years. How do we support that at his pace?",
            "C is an adult and it's his choice; we're there to support. He writes first; Amara is there if he wants; plan for it going badly as well as well.",
            "'I just want to know she's OK.'",
            "I asked C what he hopes for and what he fears, both.",
            ("Help C draft his first message to his mum", "amara", "open"),
            own_words=True,
        ),
    ),
    "RS-04": (
        _Visit(
            0,
            (4, 3, 4, 3),
            "S has a new phone and cash, and goes to a flat in Eastfield. I'm scared. I need the team to hold this with me and help me think straight.",
            "S is being exploited by adults; this is not a choice he is making. The team holds it, and Marcus agreed the plan. Jack keeps the relationship; Hannah leads with police and the panel, so Jack isn't the one S sees as telling.",
            "He'd say I'm alright but I should stay out of it.",
            "I told S I'm worried about him, not cross with him, and that I'm not going anywhere.",
            ("Refer to the exploitation panel, with Jack's words about who S is", "hannah", "done"),
            kind="case_management",
            summary=(
                "The team is worried that adults are exploiting S. Referral to the exploitation panel agreed with the service manager. Jack keeps the relationship; Hannah leads with police.",
                True,
            ),
        ),
        _Visit(
            4,
            (3, 3, 4, 3),
            "S was found in another town and won't talk about it. What keeps me going with him when it gets worse?",
            "Stickability: S keeps coming back to Jack's drop-in, and that matters. The plan changes: daily drop-in for two weeks, and Jack, not police, has the talk when S comes home.",
            "'Why do you even care?'",
            "I kept turning up at the same time every day, even when he didn't.",
            (
                "Ask police for the coming-home conversations to be with Jack",
                "hannah",
                "dropped: Police agreed it on the phone, so no formal request was needed.",
            ),
            own_words=True,
        ),
        _Visit(
            7,
            (4, 4, 5, 4),
            "S came to drop-in three times this week and stayed for food. Help me think about small ways to build on it.",
            "Food and routine are relational. S asked about cooking, and Leo could teach him something. The team keeps holding the worry; its review is due.",
            "He'd say drop-in is the only place nobody's on at him.",
            "I stopped asking about Eastfield and cook with him instead.",
            ("Plan a cooking session with S and Leo", "leo", "open"),
        ),
    ),
    "EB-45": (
        _Visit(
            6,
            (3, 4, 4, 5),
            "This is my first family here. E and Mum have just moved to a new home after leaving Mum's ex-partner. I don't know where to start.",
            "The team welcomed Leo. Start with the relationship: who E is and what she likes. Sian offered to come on the first visit. Hannah: it's fine not to know yet; bring it here.",
            "Mum would say she's sick of telling her story.",
            "I didn't take the assessment form to the first visit; we just talked.",
            ("First visit with Sian: no forms, just getting to know E and Mum", "leo", "done"),
        ),
        _Visit(
            8,
            (5, 5, 6, 6),
            "Mum asked me if E will be taken away. I wasn't sure what to say. How do I stay honest about what we can and can't do?",
            "Honest and kind: early help is alongside her, and nobody is planning for E to move. Be clear about when we would have to share a worry. Priya offered to practise the words with Leo.",
            "'You're not like I expected.'",
            "I wrote down what I can and can't promise, so I say it the same way each time.",
            ("Practise with Leo how to explain when we'd share a worry", "priya", "open"),
            own_words=True,
        ),
    ),
    "NP-72": (
        _Visit(
            3,
            (6, 6, 7, 6),
            "Dad has notice to leave the flat. He's proud and hates asking for help. How do I offer it without him feeling judged?",
            "Ask what he's already tried. Tom knows the housing options worker. Practical help first; the relationship grows from it.",
            "He'd say he can sort it himself.",
            "I asked what he'd already done, and told him it was a lot.",
            ("Introduce Dad to the housing options worker", "tom", "done"),
        ),
        _Visit(
            5,
            (7, 7, 8, 7),
            "The family has a new tenancy near school. Is it time to step down, and how do we end well?",
            "Dad leads the ending. The children keep the hub's Saturday club. Stepping down to be agreed at the next review.",
            "'You helped, I'll give you that.'",
            "I asked Dad what he wants to keep from our time together.",
            (
                "Write the stepping-down letter with Dad",
                "sian",
                "dropped: Dad would rather talk it through at the review than get a letter.",
            ),
            own_words=True,
        ),
    ),
}

# A short "quick look" at a quieter family, one per past session (reference per session).
_QUICK_LOOKS = ("PK-31", "SA-48", "ZN-05", "HW-82", "OC-14", "RB-1077", "FY-22", "IK-39", "VT-56")
_QUICK_ASKS = (
    "A review is coming up. Is there anything you'd want me to check with the family first?",
    "Things are quiet with this family. Am I missing something, or is quiet good?",
    "School has asked for an update. What would the family want them to know?",
    "Mum asked if we could meet somewhere other than home. Any ideas for places nearby?",
    "Who else in the family's network could help? Who would you ask?",
)
_QUICK_NOTES = "A quick look. A couple of ideas from the team; nothing needs to change for now."

# --- Signs of Safety mapping ------------------------------------------------------------
# reference: (worries, working well, needs to happen, danger statement, safety goal,
#             scale at each saved version, six Ps or None)
_MAPPINGS: dict[str, tuple[str, str, str, str, str, tuple[int, ...], dict[str, str] | None]] = {
    "JT-07": (
        "- School is talking about permanent exclusion after J walked out of lessons and got into two fights.\n- If J is out of school he'd be home alone all day while Mum works.\n- J says school hates him and he might just stop going.",
        "- J goes to boxing every Thursday and Jack is there.\n- Mum wants J in school and talks openly with Priya.\n- J texts back now, even if it's one word.",
        "- School meetings start with what J is good at, with Jack beside him.\n- A reduced timetable J helps to choose, instead of exclusion.\n- Keep in touch in the good weeks too.",
        "We're worried that if J is excluded he will spend his days alone, lose the people and routines that help him, and could be drawn into trouble in town.",
        "J goes to school most days on a timetable he helped to plan, with adults there he can go to when it gets too much.",
        (4, 5, 6),
        {
            "presenting": "Walking out of lessons, two fights this term, talk of exclusion.",
            "predisposing": "Two changes of school in primary; Dad left when J was nine.",
            "precipitating": "A new head of year and a new form group in September.",
            "perpetuating": "Meetings about J without J; each incident is read as 'him again'.",
            "protective": "Boxing and Jack; Mum's determination; J is funny and loyal to his friends.",
            "plan": "J's one-page plan in his words; Jack as his person at school meetings; review the timetable every three weeks.",
        },
    ),
    "RB-1042": (
        "- Money is very tight and the rent is behind.\n- R has missed a lot of nursery days.\n- Nursery noticed a mark on R's arm; the front door is now looking into it.",
        "- Mum talks openly about money and made a budget with Tom.\n- Mum and R go to stay-and-play every Friday.\n- Nan collects R from nursery on Wednesdays.",
        "- Tom and Sian keep visiting together while the assessment happens.\n- Mum hears what happens next, in plain words, before anyone else.\n- R gets to nursery at least four days a week.",
        "We're worried that R could be hurt and nobody would know, because money worries and missed nursery days mean fewer people see R each week.",
        "R is at nursery most days and Mum has people she trusts to ask for help, so everyone knows R is safe and well.",
        (5, 6, 4),
        None,
    ),
    "KM-12": (
        "- K hasn't lived on her own before and money can run short.\n- Ending support too fast could leave her with nobody to ring.",
        "- K chose her own college course and goes every day.\n- She pays her rent on time and knows her budget.\n- She still has Sunday dinner with her former foster mum.",
        "- K decides how and when support ends.\n- A card with Amara's number, and a check-in after three months.\n- Help with driving lessons from the local offer.",
        "We're not worried about K's safety now. We want to be sure that stepping back doesn't leave her on her own if things get hard.",
        "K knows who to call, and feels free to call them, long after our support has stepped down.",
        (8, 9, 10),
        None,
    ),
    "AD-33": (
        "- A has stayed out overnight without Dad knowing where he is.\n- Some of the friends he's with are older and we don't know them.\n- A went quiet for a whole weekend last month.",
        "- A texts Dad when he's staying at his mate's.\n- His mate's mum and Dad now talk to each other.\n- A has a trial at the bike workshop and is excited about it.",
        "- Keep the texting deal A helped to write.\n- Dad has someone to call at weekends.\n- Jack checks in after A's first week at the workshop.",
        "We're worried that A could be somewhere unsafe overnight with nobody knowing where he is, and might not feel able to call for help.",
        "Dad always knows where A is overnight, and A has adults he trusts to call if a night out goes wrong.",
        (3, 4, 5),
        {
            "presenting": "Staying out overnight; rows with Dad; quiet weekends.",
            "predisposing": "Mum moved away when A was twelve; A and Dad have never had to talk about feelings.",
            "precipitating": "Finishing school in the summer with nothing lined up.",
            "perpetuating": "Dad's fear comes out as shouting, which sends A out of the door.",
            "protective": "A likes Jack and keeps coming back; he loves bikes; Dad cares a great deal.",
            "plan": "The texting deal; Priya supports Dad; a future at the bike workshop.",
        },
    ),
    "LW-21": (
        "- Some mornings L can't get up and the children wait a long time for breakfast and changing.\n- L has felt low since the baby was born.",
        "- L asked for help herself.\n- Nan comes two mornings a week.\n- L has started going to the mums' group at the hub.",
        "- L keeps seeing her GP and the health visitor.\n- Nan's mornings carry on while L recovers.\n- The team tells L the changes we notice.",
        "We're worried that on L's hardest days the children might not get what they need in the mornings, because L is too unwell to get up.",
        "Every morning the children have an adult up and caring for them, and L has people to turn to on hard days.",
        (4, 6),
        None,
    ),
    "DF-58": (
        "- Dad came to family time after drinking and D was frightened.\n- Nan is tired and has health worries of her own.\n- Dad missed a Dad day and D was very let down.",
        "- D is settled with Nan and doing well at school.\n- D loves the youth club and talks easily to Jack there.\n- Dad days at the family centre have mostly gone well.",
        "- Dad days at the family centre with a worker there, for now.\n- Dad confirms the day before, so D isn't let down at the door.\n- Support for Nan from the kinship carers' group.",
        "We're worried that D could be frightened or hurt if Dad comes to family time after drinking, and that being let down again will hurt her.",
        "D sees her Dad regularly and safely, knows what to expect, and Nan has the support she needs to keep going.",
        (5, 6, 5),
        None,
    ),
    "MO-16": (
        "- M hasn't been in school for most of this term.\n- The attendance team may fine Mum.\n- M's worry about school seems to be growing.",
        "- M goes to Saturday art club at the hub and enjoys it.\n- Mum works hard to get M to school and talks openly with Tom.\n- M has managed two mornings in the quiet room.",
        "- A gradual return at M's pace, with a quiet start room and a named adult.\n- The fine stays paused while the return is tried.\n- M decides each next step.",
        "We're worried that if M stays out of school his worry will grow and he'll lose friends and learning, and that a fine would make home harder too.",
        "M goes to school on a timetable he can manage, with an adult he trusts there, and feels able to say when it's too much.",
        (3, 5),
        {
            "presenting": "Not going to school since the start of Year 7; tummy aches on school mornings.",
            "predisposing": "M has always found noise and crowds hard.",
            "precipitating": "The move to a big secondary school.",
            "perpetuating": "Each missed day makes the next one harder; attendance letters frighten Mum.",
            "protective": "Art; Sian's club; a Mum who keeps trying; M's kindness to his little brother.",
            "plan": "Quiet room and a named adult; M sets the pace; fine paused; check in with M at art club.",
        },
    ),
    "CH-90": (
        "- C ran short of money in his first weeks in the flat and borrowed from a friend of a friend.\n- Moving has stirred up old losses.",
        "- C is settled in his flat and pays his rent.\n- He shows Amara his banking app and they budget together.\n- His former foster dad still helps and rings on Sundays.",
        "- Weekly budgeting together, for as long as C wants it.\n- Support for C to get back in touch with his mum, at his pace.",
        "We're worried that if money runs out C could borrow from people who might take advantage of him.",
        "C manages his money with support he chooses, and knows who to turn to before things get hard.",
        (6, 7),
        None,
    ),
    "RS-04": (
        "- Adults are exploiting S: giving him money and a phone and taking him to a flat in Eastfield.\n- S was found in another town last month.\n- S says we should stay out of it.",
        "- S comes to Jack's drop-in most days and stays for food.\n- Mum wants to keep S at home and works with us.\n- S listens to his older cousin.",
        "- Jack keeps the drop-in going and the relationship steady.\n- Hannah leads with police and the exploitation panel.\n- Coming-home conversations are with Jack, not police.",
        "We're worried that adults are using S to move drugs, and that he could be badly hurt or arrested.",
        "S spends his time with people who care about him, away from the adults in Eastfield, and knows the team will stay with him whatever happens.",
        (2, 2, 3),
        {
            "presenting": "New phone and money; trips to Eastfield; found in another town.",
            "predisposing": "Money has always been tight; S was bullied in Year 7.",
            "precipitating": "A week's exclusion in the spring, when he met the older group.",
            "perpetuating": "The adults offer belonging and money; being questioned each time he's found pushes him back to them.",
            "protective": "Drop-in and Jack; Mum; his cousin; S likes cooking.",
            "plan": "Daily drop-in; cooking with Leo; Hannah leads with the panel; coming-home talks with Jack.",
        },
    ),
    "EB-45": (
        "- E and Mum have just moved after leaving Mum's ex-partner, who hurt Mum.\n- Mum is frightened E will be taken from her.\n- E has been sleeping badly.",
        "- Mum got herself and E to safety.\n- E has started at a new school and likes her teacher.\n- Mum is talking openly with Leo.",
        "- Leo keeps visiting, with Sian while he settles in.\n- Mum hears honestly what we can and can't promise.\n- E has someone at school she can talk to.",
        "We're worried that Mum's ex-partner could find them and hurt Mum or E again.",
        "E and Mum feel safe in their new home and know who to call if the ex-partner gets in touch.",
        (5, 6),
        None,
    ),
}

# (reference, label, kind, relationship strength, best placed for)
_NETWORK = (
    ("JT-07", "Mum", "family", 7, "Knowing how J's day really went"),
    ("JT-07", "Boxing club coach", "professional", 8, "Keeping Thursdays going; noticing when J is low"),
    ("JT-07", "Year 9 form tutor", "professional", 5, "A calm start to the school day"),
    ("RB-1042", "Nan (Mum's mum)", "family", 6, "Collecting R from nursery on Wednesdays"),
    ("RB-1042", "Nursery key person", "professional", 7, "Noticing how R is each morning"),
    ("RB-1042", "Mum's friend from stay-and-play", "friend", 6, "Company for Mum on hard days"),
    ("KM-12", "Former foster mum", "carer", 9, "Sunday dinners, and someone to ring at night"),
    ("KM-12", "College tutor", "professional", 7, "Help with coursework deadlines"),
    ("AD-33", "Dad", "family", 5, "Being there when A gets home"),
    ("AD-33", "Best mate's mum", "friend", 6, "A safe place to stay over, with a text to Dad"),
    ("AD-33", "Bike workshop manager", "professional", 6, "A reason to get up on a Saturday"),
    ("LW-21", "Nan (L's mum)", "family", 8, "Two mornings a week with the children"),
    ("LW-21", "Health visitor", "professional", 7, "L's mood and the baby's feeding"),
    ("DF-58", "Nan", "carer", 9, "Everything day to day: D lives with her"),
    ("DF-58", "Dad", "family", 5, "Dad days at the family centre"),
    ("DF-58", "Aunt (Dad's sister)", "family", 7, "Weekend sleepovers so Nan can rest"),
    ("RS-04", "Mum", "family", 6, "Being home when S comes back"),
    ("RS-04", "Older cousin", "family", 7, "Talking to S about Eastfield in a way he'll hear"),
    ("CH-90", "Former foster dad", "carer", 8, "Practical help in the flat; Sunday phone calls"),
    ("CH-90", "Mum", "family", 3, "A relationship C hopes to rebuild, at his pace"),
)


# --- Risks the team holds ---------------------------------------------------------------
# Dates are "when" keys: an int is a past session; "overdue", "upcoming", "later", "month"
# are counted from today (see _Calendar.when).
@dataclass(frozen=True)
class _Risk:
    case: str
    session: int
    raised_by: str
    holders: tuple[str, ...]
    worry: str
    whose: str
    reasoning: str
    reasonable: str
    family_view: str
    keeping_safe: str
    decision: str
    reasons: str
    worry_before: int
    worry_after: int
    review: int | str
    needs_manager: bool = False
    # A later correction by someone else: (who, days after, {field: new text}).
    correction: tuple[str, int, dict[str, str]] | None = None
    # (session, outcome, what we learned, next step, next review, changed keeping-safe plan)
    reviews: tuple[tuple[int, str, str, str, int | str | None, str], ...] = field(default_factory=tuple)


_RISKS = (
    _Risk(
        "AD-33",
        1,
        "jack",
        ("jack", "priya", "hannah"),
        "A has stayed out all night twice in a fortnight; nobody knows where he goes and Dad is frightened.",
        "both",
        "Some of this is a 16-year-old wanting independence, which is ordinary. Some is real: nobody knows where he is overnight.",
        "Staying at a friend's is reasonable at 16, as long as someone knows where he is.",
        "Dad wants him grounded. A says he's at a mate's and everyone is overreacting.",
        "A texts Dad when he's staying over. Jack walks the town with A to learn where he feels safe.",
        "Hold this as a team. Only start a missing-from-home response if A hasn't texted and can't be reached by morning.",
        "A more formal route now would likely push A away from the two adults he still talks to.",
        7,
        5,
        3,
        reviews=(
            (
                3,
                "better_than_feared",
                "A texted every time he stayed out, and his mate's mum now knows Dad.",
                "keep_holding",
                6,
                "",
            ),
            (
                6,
                "as_feared",
                "A went quiet for a weekend, as we feared he might, and came home on the Sunday. Dad had nobody to call.",
                "change_plan",
                "later",
                "As before, and Dad has the out-of-hours number and knows when to use it. Priya checks in with Dad each week.",
            ),
        ),
    ),
    _Risk(
        "RS-04",
        0,
        "jack",
        ("jack", "hannah", "amara"),
        "S is being exploited: a new phone, cash, and trips to a flat in Eastfield where adults are known to police.",
        "young_person",
        "This is harm to S from adults. It isn't S's choice, and it isn't only our anxiety.",
        "No. Going off with adults who hand out money and phones is not ordinary teenage independence.",
        "Mum is frightened and wants him moved away. S says he's 'just chilling' and we should stay out of it.",
        "Jack keeps the relationship and the daily drop-in. Hannah leads with police and the exploitation panel, so Jack isn't seen as the one who told.",
        "Refer to the exploitation panel today, agreed with Marcus.",
        "The harm is serious enough that a manager should agree the plan, and the panel needs to know.",
        9,
        7,
        4,
        needs_manager=True,
        correction=(
            "hannah",
            1,
            {
                "family_view": "Mum is frightened and has asked for help to keep S safe at home; she doesn't want him to move. S says he's 'just chilling' and we should stay out of it."
            },
        ),
        reviews=(
            (
                4,
                "worse_than_feared",
                "S was found in another town. The adults around him are more organised than we thought.",
                "change_plan",
                7,
                "Daily drop-in for two weeks; coming-home conversations with Jack, not police; Mum has a named worker to call.",
            ),
            (
                7,
                "as_feared",
                "S comes to drop-in and eats there. Eastfield is still in the picture, as we expected.",
                "keep_holding",
                "overdue",
                "",
            ),
        ),
    ),
    _Risk(
        "JT-07",
        2,
        "priya",
        ("priya", "jack", "hannah"),
        "If J is excluded he'll be home alone all day while Mum works, and he has said he'll 'just stop going'.",
        "both",
        "School's worry about behaviour is driving the talk of exclusion; the risk to J is being cut off from school and friends.",
        "Walking out of lessons when overwhelmed is common at 14; what matters is what helps him stay.",
        "Mum wants him in school and feels blamed. J says school hates him.",
        "Jack goes to the school meeting as J's person. We ask for a reduced timetable instead of exclusion.",
        "The team asks school for a reduced timetable, not exclusion, and holds the worry with them.",
        "Exclusion would take away the one routine J still has outside boxing.",
        6,
        4,
        5,
        reviews=(
            (
                5,
                "better_than_feared",
                "School agreed a reduced timetable and J has kept to it for two weeks.",
                "close",
                None,
                "",
            ),
        ),
    ),
    _Risk(
        "RB-1042",
        7,
        "tom",
        ("tom", "sian", "hannah"),
        "Nursery noticed a mark on R's arm; Mum said R fell off the sofa. Tom shared the worry with the social-care front door the same day.",
        "young_person",
        "A mark on a three-year-old needs looking at by the people whose job that is, whatever we think of Mum.",
        "Toddlers do fall, which is why we asked rather than assumed either way.",
        "Mum is hurt and angry that Tom shared it. She says R fell and she has nothing to hide.",
        "The front door has agreed an assessment. Tom and Sian keep visiting, so Mum isn't alone with this.",
        "Stay alongside Mum through the assessment; Sian joins visits while trust is repaired.",
        "Our relationship with Mum is what keeps R in view; stepping back now would leave them both more alone.",
        7,
        5,
        "upcoming",
    ),
    _Risk(
        "LW-21",
        4,
        "sian",
        ("sian", "tom", "hannah"),
        "Some mornings L can't get up, and the baby and toddler wait a long time for breakfast and changing.",
        "both",
        "L's health is at the heart of it; the children's mornings are the risk we're holding.",
        "Not about age: the children are a baby and a toddler and need an adult up every morning.",
        "L says she's embarrassed and wants help, not a fuss. Nan is glad to do mornings.",
        "Nan two mornings a week; the GP and health visitor involved; Sian visits weekly.",
        "Hold this in early help with Nan's help; think again if L's mood dips further.",
        "L asked for help herself, and the plan is hers.",
        6,
        4,
        7,
        correction=(
            "hannah",
            1,
            {
                "keeping_safe": "Nan on Tuesday and Thursday mornings; the GP and health visitor involved; Sian visits weekly, later in the morning."
            },
        ),
        reviews=(
            (
                7,
                "better_than_feared",
                "L is up most mornings and has been to the mums' group. Nan's mornings are steady.",
                "keep_holding",
                "month",
                "",
            ),
        ),
    ),
    _Risk(
        "CH-90",
        2,
        "amara",
        ("amara", "priya"),
        "C borrowed money from a friend of a friend to furnish his flat; we don't know who they are or what they'll want back.",
        "professional_anxiety",
        "Much of this is our worry about C being on his own. He is 18, and borrowing from friends is ordinary, if unwise.",
        "Mostly yes: plenty of 18-year-olds run short setting up their first home.",
        "C says it's sorted and he's paying it back.",
        "Budget together weekly; check the setting-up-home money; C knows he can tell Amara if anyone puts pressure on him.",
        "Hold this lightly, with no referral. Talk about money every week.",
        "Treating this as exploitation without any sign of it would tell C we don't trust him.",
        5,
        3,
        5,
        correction=(
            "tom",
            2,
            {
                "keeping_safe": "Budget together weekly; £400 of the setting-up-home grant is still unspent and can go on the essentials; C knows he can tell Amara if anyone puts pressure on him."
            },
        ),
        reviews=(
            (
                5,
                "better_than_feared",
                "The friend has been paid back and C's budgeting is steadier.",
                "close",
                None,
                "",
            ),
        ),
    ),
    _Risk(
        "MO-16",
        3,
        "tom",
        ("tom", "sian", "hannah"),
        "The attendance team may fine Mum, which could push M further from school and Mum further from us.",
        "professional_anxiety",
        "Some of the pressure is about attendance figures. The risk to M is losing school altogether while his worry grows.",
        "Worry about school is common at 11, especially after the move to secondary.",
        "Mum is frightened of the fine and feels she's failing. M says school is too loud.",
        "A quiet start room and a named adult; a gradual return at M's pace.",
        "Hannah asks the attendance lead to pause the fine while the gradual return is tried.",
        "A fine now would punish the adult who is trying hardest to help M.",
        6,
        4,
        6,
        reviews=(
            (
                6,
                "better_than_feared",
                "The fine is paused and M has managed two mornings.",
                "keep_holding",
                "later",
                "",
            ),
        ),
    ),
    _Risk(
        "DF-58",
        5,
        "priya",
        ("priya", "jack", "hannah"),
        "Dad came to family time after drinking; D was frightened and Nan fears it will happen again.",
        "young_person",
        "D's safety during family time is a real worry, not only ours.",
        "D wanting to see her Dad is ordinary and matters to her.",
        "D wants Dad days to carry on. Nan wants a worker there. Dad says it was a one-off.",
        "Family time at the family centre with a worker there. If Dad has been drinking it doesn't go ahead, and D knows why.",
        "Family time moves to the family centre for now; review in three weeks.",
        "It keeps D seeing her Dad while keeping her safe.",
        7,
        4,
        8,
        reviews=(
            (
                8,
                "worse_than_feared",
                "Dad missed a Dad day without telling anyone and D was very let down.",
                "change_plan",
                "month",
                "As before, and Dad confirms the day before; if he doesn't, Nan tells D in the morning so she isn't let down at the door.",
            ),
        ),
    ),
)


# --- Builders ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Calendar:
    today: date
    upcoming: date  # this week's planned session (Tuesday, 1 to 7 days ahead)
    past: tuple[date, ...]  # the closed sessions, oldest first

    @classmethod
    def for_today(cls, today: date) -> _Calendar:
        # Always strictly ahead, so the planned session is never already over today.
        upcoming = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
        past = tuple(upcoming - timedelta(weeks=_PAST_WEEKS - i) for i in range(_PAST_WEEKS))
        return cls(today, upcoming, past)

    def at(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def when(self, key: int | str) -> date:
        if isinstance(key, int):
            return self.past[key]
        return {
            "overdue": self.today - timedelta(days=3),
            "upcoming": self.upcoming,
            "later": self.upcoming + timedelta(days=14),
            "month": self.today + timedelta(days=28),
        }[key]


def _clamp(value: int) -> int:
    return max(0, min(10, value))


def _people(s: Session, password_hash: str) -> dict[str, Person]:
    people = {}
    for username, name, role, *_ in _PEOPLE:
        people[username] = Person(
            username=username,
            display_name=name,
            role=role,
            password_hash=password_hash,
            password_changed_at=utcnow(),
        )
    s.add_all(people.values())
    s.flush()
    return people


def _teams(s: Session, people: dict[str, Person], cal: _Calendar, rng: random.Random) -> dict[str, Team]:
    teams = {
        DEMO_TEAM: Team(
            name=DEMO_TEAM,
            not_discussed_weeks=4,
            # Riverside names its stages in its own words (the board shows these).
            status_labels=json.dumps({"stuck": "Needs fresh eyes"}),
            description="A fictional early-help team for trying Circle out: everyone and every family here is made up.",
        ),
        SECOND_TEAM: Team(
            name=SECOND_TEAM,
            not_discussed_weeks=4,
            description="A smaller fictional team next door, so you can see that each team's records stay its own.",
        ),
    }
    s.add_all(teams.values())
    s.flush()
    new_starter_joined = cal.past[5] - timedelta(days=1)  # after their first induction weeks
    for username, _, _, team, team_role in _PEOPLE:
        if team is None:
            continue
        joined = (
            new_starter_joined
            if username in ("leo", "kai")
            else cal.today - timedelta(days=rng.randint(200, 1500))
        )
        s.add(
            Membership(
                team_id=teams[team].id, person_id=people[username].id, role=team_role, joined_on=joined  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            )
        )
    for each_team in teams.values():  # the manager oversees both teams
        s.add(
            Membership(
                team_id=each_team.id,
                person_id=people["marcus"].id,
                role="manager",
                joined_on=cal.today - timedelta(days=400),
            )
        )
    return teams


def _add_cases(
    s: Session,
    team: Team,
    rows: tuple[tuple[str, str, str, str | None], ...],
    people: dict[str, Person],
    cal: _Calendar,
    rng: random.Random,
) -> dict[str, Case]:
    cases = {}
    for reference, status, lead, best in rows:
        assert status in CASE_STATUSES
        if status == "new":  # opened in the last few weeks, just before it was first brought
            opened = cal.past[6] - timedelta(days=rng.randint(2, 10))
        else:
            opened = cal.today - timedelta(days=rng.randint(90, 420))
        closed = cal.today - timedelta(days=rng.randint(14, 40)) if status == "closed" else None
        cases[reference] = Case(
            team_id=team.id,
            reference=reference,
            status=status,
            lead_practitioner_id=people[lead].id,
            best_relationship_person_id=people[best].id if best else None,
            opened_on=opened,
            closed_on=closed,
            next_review_on=None if closed else cal.today + timedelta(days=rng.randint(-5, 42)),
            created_at=cal.at(opened, 9),
            updated_at=cal.at(closed or opened, 9),
        )
    s.add_all(cases.values())
    s.flush()
    return cases


# Words people chose for how they arrived, roughly matching how the week had been.
_ARRIVAL_WORDS = (
    ("tired", "stretched", "heavy", "rushed"),
    ("okay", "steady", "full", "busy", ""),
    ("hopeful", "bright", "calm", "grateful", ""),
)
_CLOSING_WORDS = ("lighter", "clearer", "held", "thoughtful", "ready", "connected", "")
_USUAL_ARRIVAL = {
    "hannah": 7,
    "priya": 6,
    "tom": 6,
    "amara": 8,
    "jack": 6,
    "sian": 7,
    "leo": 6,
    "grace": 7,
    "ben": 6,
    "kai": 6,
}
# Weeks that were hard for someone, matching the stories above.
_HARD_WEEKS: dict[tuple[int | None, str], tuple[int | None, str | None]] = {(0, "jack"): (4, "scared"), (4, "jack"): (3, "worried"), (7, "tom"): (3, "shaken")}


def _rounds(
    s: Session,
    rng: random.Random,
    session: SupervisionSession,
    present: list[Person],
    facilitator: Person,
    index: int | None,
) -> None:
    """The arrival and closing rounds for everyone present."""
    for minute, person in enumerate(present):
        score, word = _HARD_WEEKS.get((index, person.username), (None, None))
        if score is None:
            score = _clamp(_USUAL_ARRIVAL[person.username] + rng.randint(-2, 2))
            word = rng.choice(_ARRIVAL_WORDS[0 if score <= 4 else 1 if score <= 7 else 2])
        # Sometimes the facilitator types the round in for the room.
        typed_by = facilitator if rng.random() < 0.25 else person
        s.add(
            ArrivalCheckIn(
                session_id=session.id,
                person_id=person.id,
                score=score,
                word=word,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                needs_team=score <= 4 or rng.random() < 0.08,
                entered_by_id=typed_by.id,
                created_at=session.scheduled_for + timedelta(minutes=minute),
            )
        )
        s.add(
            ClosingCheckIn(
                session_id=session.id,
                person_id=person.id,
                felt_heard=_clamp(rng.randint(6, 10)),
                helped_my_work=_clamp(rng.randint(5, 10)),
                held_my_worries=_clamp(rng.randint(5, 9) + (2 if score <= 4 else 0)),
                word=rng.choice(_CLOSING_WORDS),
                created_at=session.scheduled_for + timedelta(minutes=85),
            )
        )


def _sessions(
    s: Session,
    team: Team,
    days: list[date],
    hour: int,
    facilitator: Person,
    cal: _Calendar,
    rng: random.Random,
) -> list[SupervisionSession]:
    rows = []
    for day in days:
        start = cal.at(day, hour)
        done = day <= cal.today
        rows.append(
            SupervisionSession(
                team_id=team.id,
                scheduled_for=start,
                duration_minutes=90,
                status="closed" if done else "planned",
                facilitator_id=facilitator.id,
                created_by_id=facilitator.id,
                created_at=start - timedelta(days=7),
                closed_at=start + timedelta(minutes=90 + rng.randint(0, 10)) if done else None,
            )
        )
    s.add_all(rows)
    s.flush()
    return rows


def _relationship(
    s: Session,
    case: Case,
    visit_scores: tuple[int, int, int, int],
    practitioner: Person,
    session: SupervisionSession,
    at: datetime,
    said: str,
    own_words: bool,
    changed: str,
) -> None:
    helps, hinders = _RELATIONSHIP.get(case.reference, ("", ""))
    trust, heard, matters, hope = visit_scores
    s.add(
        RelationshipCheckIn(
            case_id=case.id,
            practitioner_id=practitioner.id,
            session_id=session.id,
            trust=trust,
            feel_heard=heard,
            what_matters=matters,
            hope=hope,
            working_well=helps,
            gets_in_the_way=hinders,
            what_they_would_say=said,
            their_own_words=own_words,
            what_i_changed=changed,
            best_relationship_person_id=case.best_relationship_person_id or practitioner.id,
            created_at=at,
        )
    )


def _action(
    s: Session,
    team: Team,
    session: SupervisionSession,
    case: Case | None,
    text: str,
    owner: Person,
    outcome: str,
    kind: str,
    cal: _Calendar,
    rng: random.Random,
    carried_from: Action | None = None,
) -> Action:
    status, _, reason = outcome.partition(": ")
    status = "carried_over" if status == "carried" else status
    assert status in ACTION_STATUSES and kind in WORK_KINDS
    day = session.scheduled_for.date()
    due = day + timedelta(days=7 if rng.random() < 0.7 else 14)
    done_on = min(cal.today, due - timedelta(days=rng.randint(0, 3))) if status == "done" else None
    action = Action(
        team_id=team.id,
        session_id=session.id,
        case_id=case.id if case else None,
        description=text,
        owner_id=owner.id,
        due_on=due,
        kind=kind,
        status=status,
        status_reason=reason,
        completed_on=done_on,
        carried_from_id=carried_from.id if carried_from else None,
        created_at=session.scheduled_for + timedelta(minutes=80),
    )
    s.add(action)
    s.flush()
    return action


def _riverside_sessions(
    s: Session,
    team: Team,
    people: dict[str, Person],
    cases: dict[str, Case],
    cal: _Calendar,
    rng: random.Random,
) -> list[SupervisionSession]:
    riverside = [people[u] for u, *_, t, _ in _PEOPLE if t == DEMO_TEAM]
    hannah = people["hannah"]
    sessions = _sessions(s, team, [*cal.past, cal.upcoming], 10, hannah, cal, rng)
    past, planned = sessions[:-1], sessions[-1]
    # The order each session took: every visit, then the quick look, by session.
    by_session: dict[int, list[tuple[str, _Visit | None]]] = {i: [] for i in range(len(past))}
    for reference, visits in _VISITS.items():
        for one in visits:
            by_session[one.session].append((reference, one))
    for i, reference in enumerate(_QUICK_LOOKS):
        by_session[i].append((reference, None))
    carry: list[tuple[Action, str, Person, Case, str]] = []
    for i, session in enumerate(past):
        items = by_session[i]
        bringing = {cases[r].lead_practitioner_id for r, _ in items}
        members = [p for p in riverside if p.username != "leo" or i >= 5]
        # Now and then someone without an item that week sends apologies.
        free = [p for p in members if p.id not in bringing and p is not hannah]
        away = rng.choice(free) if free and rng.random() < 0.4 else None
        present = [p for p in members if p is not away]
        s.add_all(
            SessionAttendee(
                session_id=session.id, person_id=p.id, attendance="apologies" if p is away else "present"
            )
            for p in members
        )
        _rounds(s, rng, session, present, hannah, i)
        for action, text, owner, case, kind in carry:  # last week's carried actions, picked up here
            _action(s, team, session, case, text, owner, "open" if i >= 7 else "done", kind, cal, rng, action)
        carry = []
        for position, (reference, visit) in enumerate(items):
            case = cases[reference]
            lead = s.get(Person, case.lead_practitioner_id)
            assert lead is not None
            at = session.scheduled_for + timedelta(minutes=10 + 12 * position)
            if visit is None:
                s.add(
                    AgendaItem(
                        session_id=session.id,
                        case_id=case.id,
                        brought_by_id=lead.id,
                        kind="case_management",
                        ask=_QUICK_ASKS[i % len(_QUICK_ASKS)],
                        time_box_minutes=5,
                        position=position,
                        discussion_notes=_QUICK_NOTES,
                        created_at=at - timedelta(days=1),
                    )
                )
                base = rng.randint(5, 8)
                scores = (
                    base,
                    _clamp(base + rng.randint(-1, 1)),
                    _clamp(base + rng.randint(-1, 1)),
                    _clamp(base - 1),
                )
                _relationship(s, case, scores, lead, session, at, "", False, "")
                continue
            summary, ready = visit.summary or ("", False)
            s.add(
                AgendaItem(
                    session_id=session.id,
                    case_id=case.id,
                    brought_by_id=lead.id,
                    ask=visit.ask,
                    kind=visit.kind,
                    time_box_minutes=15,
                    position=position,
                    discussion_notes=visit.notes,
                    case_file_summary=summary,
                    summary_ready=ready,
                    created_at=at - timedelta(days=1),
                )
            )
            _relationship(
                s, case, visit.scores, lead, session, at, visit.said, visit.own_words, visit.changed
            )
            text, owner_name, outcome = visit.act
            action = _action(s, team, session, case, text, people[owner_name], outcome, visit.kind, cal, rng)
            if action.status == "carried_over":
                carry.append((action, text, people[owner_name], case, visit.kind))
    # This week's planned session: everyone expected, Amara on leave, two items already brought.
    s.add_all(
        SessionAttendee(
            session_id=planned.id,
            person_id=p.id,
            attendance="apologies" if p.username == "amara" else "expected",
        )
        for p in riverside
    )
    for position, (reference, ask) in enumerate(
        (
            (
                "AD-33",
                "A starts at the bike workshop on Monday. I'd like the team's ideas for his first week.",
            ),
            (
                "RB-1042",
                "How the visit with Sian went, and help planning what repair with Mum looks like from here.",
            ),
        )
    ):
        case = cases[reference]
        s.add(
            AgendaItem(
                session_id=planned.id,
                case_id=case.id,
                brought_by_id=case.lead_practitioner_id,
                ask=ask,
                position=position,
                created_at=cal.at(cal.today, 9),
            )
        )
    # Actions that aren't open were looked back on in the following week's session.
    next_of = {a.id: b.id for a, b in zip(past, past[1:], strict=False)}
    for action in s.exec(
        select(Action).where(col(Action.session_id).in_(list(next_of)), Action.status != "open")
    ).all():
        action.reviewed_session_id = next_of[action.session_id]  # type: ignore[index]  # None is ruled out before this line, in a way mypy does not follow
        s.add(action)
    # One record corrected after it closed: the original stays, the amendment says who and when.
    amended = past[-3]
    s.add(
        SessionAmendment(
            session_id=amended.id,
            author_id=hannah.id,
            text="Correction: the meeting with JT-07's school is on Thursday afternoon, not Tuesday. "
            "Priya has let Mum know.",
            created_at=(amended.closed_at or amended.scheduled_for) + timedelta(days=1),
        )
    )
    return sessions


def _mappings(
    s: Session, cases: dict[str, Case], sessions: list[SupervisionSession], people: dict[str, Person]
) -> None:
    for reference, (worries, well, needs, danger, goal, scales, six) in _MAPPINGS.items():
        case = cases[reference]
        # Each saved version sits at one of the sessions where the family was talked about.
        saved = [sessions[v.session].scheduled_for + timedelta(minutes=40) for v in _VISITS[reference]][
            -len(scales) :
        ]
        savers = [case.lead_practitioner_id, people["hannah"].id]
        lines = needs.split("\n")
        fields: dict[str, object] = {}
        for version, scale in enumerate(scales, start=1):
            # Earlier versions had fewer "needs to happen" lines: the plan grew over time.
            shown = lines[: max(1, len(lines) - (len(scales) - version))]
            fields = {
                "worries": worries,
                "working_well": well,
                "needs_to_happen": "\n".join(shown),
                "danger_statement": danger,
                "safety_goal": goal,
                "scale": scale,
                **(six or {}),
            }
            s.add(
                CaseMappingRevision(
                    case_id=case.id,
                    version=version,
                    saved_by_id=savers[version % 2],
                    saved_at=saved[version - 1],
                    snapshot=json.dumps(fields, sort_keys=True),
                )
            )
        s.add(
            CaseMapping(
                case_id=case.id,
                **fields,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
                updated_at=saved[-1],
                updated_by_id=savers[len(scales) % 2],
                version=len(scales),
            )
        )


def _network(s: Session, cases: dict[str, Case], cal: _Calendar) -> None:
    for reference, label, kind, strength, best_for in _NETWORK:
        s.add(
            NetworkMember(
                case_id=cases[reference].id,
                label=label,
                kind=kind,
                relationship_strength=strength,
                best_placed_for=best_for,
                created_at=cal.at(cases[reference].opened_on, 12),
            )
        )


def _risk_revision(s: Session, base: RiskEntry, holders: list[int], **changes: object) -> RiskEntry:
    data = base.model_dump(exclude={"id"})
    data.update(changes)
    entry = RiskEntry(**data)
    s.add(entry)
    s.flush()
    s.add_all(RiskHolder(risk_entry_id=entry.id, person_id=pid) for pid in holders)
    return entry


def _risks(
    s: Session,
    team: Team,
    cases: dict[str, Case],
    sessions: list[SupervisionSession],
    people: dict[str, Person],
    cal: _Calendar,
    rng: random.Random,
) -> None:
    for risk in _RISKS:
        assert risk.whose in WHOSE_RISK
        raised_at = sessions[risk.session].scheduled_for + timedelta(minutes=75)
        raiser = people[risk.raised_by]
        holders = [people[u].id for u in risk.holders]
        entry = _risk_revision(
            s,
            RiskEntry(
                thread_id=str(uuid.UUID(int=rng.getrandbits(128))),
                revision=1,
                team_id=team.id,
                case_id=cases[risk.case].id,
                session_id=sessions[risk.session].id,
                raised_by_id=raiser.id,
                worry=risk.worry,
                whose_risk=risk.whose,
                whose_risk_reasoning=risk.reasoning,
                reasonable_for_age=risk.reasonable,
                family_view=risk.family_view,
                keeping_safe=risk.keeping_safe,
                decision=risk.decision,
                decision_reasons=risk.reasons,
                worry_before=risk.worry_before,
                worry_after=risk.worry_after,
                review_on=cal.when(risk.review),
                created_by_id=raiser.id,
                created_at=raised_at,
            ),
            holders,
            needs_manager=risk.needs_manager,
            manager_agreed_by_id=people["marcus"].id if risk.needs_manager else None,
            manager_agreed_at=raised_at + timedelta(hours=2) if risk.needs_manager else None,
        )
        if risk.correction:  # someone who knew better put a detail right; the first version stays
            who, days, changes = risk.correction
            entry = _risk_revision(
                s,
                entry,
                holders,
                revision=entry.revision + 1,
                created_by_id=people[who].id,
                created_at=raised_at + timedelta(days=days),
                session_id=None,
                **changes,
            )
        for index, outcome, learned, next_step, next_key, new_plan in risk.reviews:
            assert outcome in REVIEW_OUTCOMES and next_step in REVIEW_NEXT
            at = sessions[index].scheduled_for + timedelta(minutes=60)
            next_on = cal.when(next_key) if next_key is not None else None
            s.add(
                RiskReview(
                    thread_id=entry.thread_id,
                    session_id=sessions[index].id,
                    reviewed_by_id=raiser.id,
                    reviewed_at=at,
                    what_happened=outcome,
                    what_we_learned=learned,
                    next_step=next_step,
                    next_review_on=next_on,
                )
            )
            # A changed plan or a closing is written as a new revision, so the log reads true.
            if next_step == "change_plan":
                entry = _risk_revision(
                    s,
                    entry,
                    holders,
                    revision=entry.revision + 1,
                    keeping_safe=new_plan,
                    review_on=next_on,
                    created_by_id=raiser.id,
                    created_at=at,
                    session_id=sessions[index].id,
                )
            elif next_step == "close":
                entry = _risk_revision(
                    s,
                    entry,
                    holders,
                    revision=entry.revision + 1,
                    status="closed",
                    created_by_id=raiser.id,
                    created_at=at,
                    session_id=sessions[index].id,
                )


# Northgate: a lighter record, enough to show that it is a separate team.
_NORTHGATE_CASES = (
    ("NG-201", "active", "ben", None),
    ("NG-202", "new", "kai", "ben"),
    ("NG-205", "stuck", "ben", "grace"),
    ("NG-210", "active", "kai", "ben"),
    ("NG-214", "stepping_down", "ben", None),
)
# (session, reference, ask, notes, action, owner)
_NORTHGATE_ITEMS = (
    (
        0,
        "NG-205",
        "Mum keeps cancelling visits. I'd like help thinking about what might make it easier for her to say yes.",
        "Ask Mum what time and place would suit her; offer the family hub café.",
        "Offer Mum a meeting at the hub café",
        "ben",
    ),
    (
        0,
        "NG-201",
        "Y has been going to the after-school club. How do we keep this going over the holidays?",
        "Holiday club places; Y's gran could help with lifts.",
        "Ask about holiday club places for Y",
        "ben",
    ),
    (
        1,
        "NG-202",
        "My first family here. Dad seems wary of me. Where do I start?",
        "Start with what Dad wants help with; Ben offered to come on the next visit.",
        "Visit Dad with Ben",
        "kai",
    ),
    (
        1,
        "NG-210",
        "Q's teacher and Q's mum see things very differently. How do I keep Q in the middle?",
        "Ask Q to draw who helps at school and at home; share it with both, with Q's agreement.",
        "Do the drawing with Q",
        "kai",
    ),
    (
        2,
        "NG-214",
        "The family is ready to step down. What would ending well look like for them?",
        "Let the children choose a goodbye; leave the hub's number with Mum.",
        "Plan the last visit with the children",
        "ben",
    ),
)


def _northgate(s: Session, team: Team, people: dict[str, Person], cal: _Calendar, rng: random.Random) -> None:
    cases = _add_cases(s, team, _NORTHGATE_CASES, people, cal, rng)
    grace = people["grace"]
    members = [people[u] for u in ("grace", "ben", "kai")]
    # Northgate meets on Thursday afternoons: the last three, and the next one.
    last = cal.today - timedelta(days=(cal.today.weekday() - 3) % 7 or 7)
    days = [last - timedelta(weeks=w) for w in (2, 1, 0)] + [last + timedelta(weeks=1)]
    sessions = _sessions(s, team, days, 14, grace, cal, rng)
    for i, session in enumerate(sessions):
        done = session.status == "closed"
        s.add_all(
            SessionAttendee(
                session_id=session.id, person_id=p.id, attendance="present" if done else "expected"
            )
            for p in members
        )
        if done:
            _rounds(s, rng, session, members, grace, None)
        for position, (_, reference, ask, notes, text, owner) in enumerate(
            item for item in _NORTHGATE_ITEMS if item[0] == i
        ):
            case = cases[reference]
            at = session.scheduled_for + timedelta(minutes=10 + 15 * position)
            s.add(
                AgendaItem(
                    session_id=session.id,
                    case_id=case.id,
                    brought_by_id=case.lead_practitioner_id,
                    ask=ask,
                    position=position,
                    discussion_notes=notes,
                    created_at=at - timedelta(days=1),
                )
            )
            base = rng.randint(4, 8)
            lead = s.get(Person, case.lead_practitioner_id)
            assert lead is not None
            _relationship(
                s, case, (base, _clamp(base + 1), base, _clamp(base - 1)), lead, session, at, "", False, ""
            )
            _action(
                s, team, session, case, text, people[owner], "done" if i < 2 else "open", "task", cal, rng
            )
    raised = sessions[0].scheduled_for + timedelta(minutes=70)
    _risk_revision(
        s,
        RiskEntry(
            thread_id=str(uuid.UUID(int=rng.getrandbits(128))),
            team_id=team.id,
            case_id=cases["NG-205"].id,
            session_id=sessions[0].id,
            raised_by_id=people["ben"].id,
            worry="Mum has cancelled the last three visits and school say the children seem tired and hungry.",
            whose_risk="both",
            whose_risk_reasoning="Part of it is our unease at not seeing the family; part is what school see.",
            family_view="Mum says she's been unwell and is fed up of people checking on her.",
            keeping_safe="School keep an eye on breakfast club; Ben offers a meeting somewhere Mum chooses.",
            decision="Hold this as a team for two weeks and think again if we still haven't seen the children.",
            decision_reasons="Mum has kept in touch by text, and school see the children every day.",
            worry_before=6,
            worry_after=5,
            review_on=cal.upcoming + timedelta(days=2),
            created_by_id=people["ben"].id,
            created_at=raised,
        ),
        [people["ben"].id, grace.id],
    )


def _training(s: Session, people: dict[str, Person], teams: dict[str, Team], cal: _Calendar) -> None:
    from db.training import load_library  # local: training imports the data layer

    load_library(session=s)
    starts = cal.past[4] - timedelta(days=7)  # a Tuesday, six weeks ago
    season = ("Winter", "Spring", "Summer", "Autumn")[(starts.month % 12) // 3]
    cohort = TrainingCohort(
        name=f"{season} induction",
        trainer_id=people["ruth"].id,
        join_code="WELCOME-01",
        # Join codes expire (db.training.JOIN_CODE_LIFETIME); the demo's works for a fortnight.
        join_code_expires_at=cal.at(cal.today + timedelta(days=14), 17),
        starts_on=starts,
        created_at=cal.at(starts - timedelta(days=14), 9),
        notes="Six Tuesday afternoons: why we work relationally, then how. Leo and Kai take one "
        "question a week into their own team's group supervision.",
    )
    s.add(cohort)
    s.flush()
    for username, team in (("leo", DEMO_TEAM), ("kai", SECOND_TEAM), ("jo", None)):
        s.add(
            CohortMember(
                cohort_id=cohort.id,
                person_id=people[username].id,
                team_id=teams[team].id if team else None,
                joined_at=cal.at(starts, 13),
            )
        )
    exercises = {e.slug: e for e in s.exec(select(Exercise)).all()}
    # (exercise, weeks into induction, finished?, current step, revealed step, notes, answers by step)
    runs = (
        (
            "which-risk-are-we-managing",
            1,
            True,
            1,
            1,
            "Good argument about the missing night in the spring. Kai wants more time on what counts as "
            "professional anxiety; pick it up with Grace.",
            {
                "leo": (
                    {
                        "s1": "Both",
                        "s2": "Professional anxiety",
                        "s3": "Risk to the young person",
                        "s4": "Risk to the young person",
                        "s5": "Professional anxiety",
                        "s6": "Risk to the young person",
                        "why": "The missing night: it felt like her risk, but it was months ago and after a row.",
                    },
                    {
                        "plan": "Say yes with a check-in time each evening and a charged power bank, planned with Keeley."
                    },
                ),
                "kai": (
                    {
                        "s1": "Risk to the young person",
                        "s2": "Professional anxiety",
                        "s3": "Risk to the young person",
                        "s4": "Both",
                        "s5": "Professional anxiety",
                        "s6": "Both",
                        "why": "Hard to separate my own worry from hers.",
                    },
                    {
                        "plan": "Ask Keeley what would make her feel safe, and agree a way home if she wants to leave early."
                    },
                ),
                "jo": (
                    {
                        "s1": "Both",
                        "s2": "Professional anxiety",
                        "s3": "Both",
                        "s4": "Risk to the young person",
                        "s5": "Professional anxiety",
                        "s6": "Risk to the young person",
                        "why": "The form one made me laugh; we do that.",
                    },
                    {"plan": "Most parents would say yes with conditions, so would I."},
                ),
            },
        ),
        (
            "rewrite-a-case-note",
            3,
            True,
            1,
            1,
            "Everyone found 'placement' the hardest word to let go of. Jo's version read most like Mia's own story.",
            {
                "leo": (
                    {
                        "rewrite": "I visited Mia at home with Jen and Col. She didn't want to talk today. Family "
                        "time with Mum is at the family centre; Mum didn't come last week and Mia was upset."
                    },
                    {"reflection": "I took out the verdicts and said what happened."},
                ),
                "jo": (
                    {
                        "rewrite": "Mia told me she is fed up with people asking questions, so we played cards "
                        "instead. Mum missed family time last week. On Tuesday Mia left home without telling "
                        "anyone and police brought her home at 11pm."
                    },
                    {"reflection": "I wrote it so Mia could read it and not feel like a file."},
                ),
            },
        ),
        (
            "social-discipline-window",
            6,
            False,
            0,
            -1,
            "",
            {
                "leo": (
                    {
                        "r1": "TO",
                        "r2": "FOR",
                        "r3": "WITH",
                        "r4": "NOT",
                        "r5": "WITH",
                        "r6": "TO",
                        "why": "Taking Zara in myself felt kind until I saw it as FOR.",
                    },
                ),
                "jo": ({"r1": "TO", "r2": "WITH", "r3": "WITH", "r4": "NOT", "r5": "WITH", "r6": "TO"},),
            },
        ),
    )
    for slug, week, finished, current, revealed, notes, answers in runs:
        started = cal.at(starts + timedelta(weeks=week - 1), 14)
        run = ExerciseRun(
            cohort_id=cohort.id,
            exercise_id=exercises[slug].id,
            started_at=started,
            current_step=current,
            revealed_step=revealed,
            status="closed" if finished else "open",
            trainer_notes=notes,
        )
        s.add(run)
        s.flush()
        for username, steps in answers.items():
            for step, values in enumerate(steps):
                s.add(
                    ExerciseAnswer(
                        run_id=run.id,
                        person_id=people[username].id,
                        step=step,
                        answer=json.dumps(values),
                        created_at=started + timedelta(minutes=10 + 15 * step),
                    )
                )
    # One theme already on Riverside's agenda for this week: Leo brings it, from induction.
    planned = s.exec(
        select(SupervisionSession).where(
            SupervisionSession.team_id == teams[DEMO_TEAM].id, SupervisionSession.status == "planned"
        )
    ).first()
    if planned is not None:
        theme = "How do I stay honest with a family about a worry without losing the trust we've built?"
        item = AgendaItem(
            session_id=planned.id,
            brought_by_id=people["leo"].id,
            ask=f"From induction: {theme}",
            kind="reflection",
            source="training",
            position=99,
            created_at=cal.at(cal.today - timedelta(days=1), 16),
        )
        s.add(item)
        s.flush()
        s.add(
            InductionTheme(
                cohort_id=cohort.id,
                person_id=people["leo"].id,
                team_id=teams[DEMO_TEAM].id,
                theme=theme,
                session_id=planned.id,
                agenda_item_id=item.id,
                created_by_id=people["ruth"].id,
                created_at=cal.at(cal.today - timedelta(days=1), 16),
            )
        )


def _one_to_ones(
    s: Session, team: Team, people: dict[str, Person], cases: dict[str, Case], cal: _Calendar
) -> None:
    """Riverside's supervision agreements and seven months of one-to-ones with Hannah."""
    from db.one_to_one_demo import add_one_to_ones

    add_one_to_ones(s, team, people, cases, cal.today)


def _counts(s: Session, created: bool) -> DemoSummary:
    team_ids = s.exec(select(Team.id).where(col(Team.name).in_((DEMO_TEAM, SECOND_TEAM)))).all()
    usernames = [u for u, *_ in _PEOPLE]

    def count(model, *where) -> int:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())

    return DemoSummary(
        created=created,
        teams=len(team_ids),
        people=count(Person, col(Person.username).in_(usernames)),
        cases=count(Case, col(Case.team_id).in_(team_ids)),
        sessions=count(SupervisionSession, col(SupervisionSession.team_id).in_(team_ids)),
    )


def _young_voices(s: Session, cases: dict[str, Case], people: dict[str, Person], cal: _Calendar) -> None:
    """Two young people who answered (one seeing things differently) and a link still waiting."""
    from db.young_voice_demo import add_young_voices

    add_young_voices(s, cases, people, cal.today)


def _case_files_and_notifications(s: Session, team: Team, people: dict[str, Person], cal: _Calendar) -> None:
    """Case-file entries (some copied across, the latest still to do) and a week of what
    Circle told Priya and Tom (issue 17)."""
    from db.notification_demo import add_case_files_and_notifications

    add_case_files_and_notifications(s, team, people, cal.today)


def load_demo(*, today: date | None = None) -> DemoSummary:
    """Add the fictional demo teams in one transaction, or do nothing if they are already there."""
    cal = _Calendar.for_today(today or clock.today())
    with session_scope() as s:
        if s.exec(select(Team).where(Team.name == DEMO_TEAM)).first():
            return _counts(s, created=False)
    password_hash = hash_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
    rng = random.Random(_SEED)
    try:
        with session_scope(write=True) as s:
            if s.exec(select(Team).where(Team.name == DEMO_TEAM)).first():
                return _counts(s, created=False)
            taken = s.exec(
                select(Person.username).where(col(Person.username).in_([u for u, *_ in _PEOPLE]))
            ).all()
            if taken:
                raise ValueError(
                    "The demo team can't be added because these usernames are already in use here: "
                    f"{', '.join(sorted(taken))}. The demo is meant for an empty, trial database."
                )
            people = _people(s, password_hash)
            teams = _teams(s, people, cal, rng)
            riverside = teams[DEMO_TEAM]
            cases = _add_cases(s, riverside, _CASES, people, cal, rng)
            sessions = _riverside_sessions(s, riverside, people, cases, cal, rng)
            _mappings(s, cases, sessions, people)
            _network(s, cases, cal)
            _risks(s, riverside, cases, sessions, people, cal, rng)
            _young_voices(s, cases, people, cal)
            _northgate(s, teams[SECOND_TEAM], people, cal, rng)
            _training(s, people, teams, cal)
            _one_to_ones(s, riverside, people, cases, cal)
            _case_files_and_notifications(s, riverside, people, cal)
            s.flush()
            return _counts(s, created=True)
    except IntegrityError:
        # Someone else loaded it at the same moment (PostgreSQL lets both start): theirs stands.
        with session_scope() as s:
            if s.exec(select(Team).where(Team.name == DEMO_TEAM)).first():
                return _counts(s, created=False)
        raise
