"""The relational-language lens: a rule-based, explainable second look at free text.

Words shape how a child or family is seen. This module holds Circle's own list of words
and phrases that make a person sound like a process (built from the researched list in
the project's LANGUAGE.md, with our own wording), each with kinder alternatives and a
one-line why, plus the context rules that keep it from crying wolf:

- a rule flags a *span* only in the sense it names: "contact" near family words, not "I
  will contact school", "contact details" or "eye contact"; "her placement", not "work
  placement";
- words that merely contain a term ("contactless", "placemat", "lack", "suitcase") never
  match, because every pattern is anchored at word edges;
- quoted words are left alone: a child's or parent's own words belong in the record (G1);
- a capitalised term in mid-sentence is read as a name (a team, a charity, an order) (G2);
- acronyms (LAC, NEET, DNA) match only in capitals (G6);
- the longest match wins and each span is flagged once (G4);
- context never crosses a sentence (G11).

The lens only ever suggests. `find()` returns hints; nothing here changes what someone
wrote. Teams add their own words (`LanguageTerm`); supervisors of the team look after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from db import audit
from db.access import Actor, supervised_team_ids
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import LanguageTerm, Person
from db.validation import Checks

WINDOW_WORDS = 6  # context looked at on each side of a match, within its sentence

# Word lists the context rules share.
_FAMILY = (
    r"mum|mums|mummy|mam|mother|mom|dad|dads|daddy|father|parents?|nan|nana|nanna|nanny|gran|granny|"
    r"grandma|grandad|grandpa|grandparents?|grandmother|grandfather|aunt|auntie|aunty|uncle|"
    r"brothers?|sisters?|siblings?|family|families|cousins?|birth\s+family"
)
_HOME_WORDS = (
    r"carers?|foster|fostering|home|homes|residential|kinship|moved?|moving|stable|stability|"
    r"ended|ending|settled|live|lives|living|staff|key\s*worker"
)
_CHILDRENS_HOME = r"staff|shift|key\s*worker|young\s+people|residents|home|bedroom|night\s+staff|manager"
_CHILD_WORDS = r"child|children|baby|babies|son|daughter|kids?|boy|girl|toddler|infant|twins|young\s+person"


@dataclass(frozen=True)
class Rule:
    """One entry in the lens: where it flags, where it stays quiet, and what it suggests."""

    key: str
    label: str  # the word as the hint names it
    pattern: str  # the span to flag (word edges are added)
    alternatives: tuple[str, ...]
    why: str
    strength: str = "strong"  # strong: worth a second look; gentle: a thought
    case_sensitive: bool = False
    needs: str | None = None  # must appear near the span, in the same sentence
    not_before: str | None = None  # must not come straight before the span
    not_after: str | None = None  # must not come straight after the span
    not_near: str | None = None  # anywhere near the span silences the rule
    names_allowed: bool = True  # skip a capitalised span in mid-sentence (a name, G2)


@dataclass(frozen=True)
class Hint:
    start: int
    end: int
    text: str  # exactly as written
    key: str
    label: str
    alternatives: tuple[str, ...]
    why: str
    strength: str
    team_term: bool = False


NAME_NOTE = "the child's name or initials, as your team's data rules allow"

RULES: tuple[Rule, ...] = (
    # --- Where children live, and who with
    Rule(
        "placement_breakdown",
        "placement breakdown",
        r"placement\s+(?:breakdown|broke\s+down|disruption|disrupted|ended|ending)|"
        r"(?:her|his|their|the)\s+placements?\s+(?:broke|has\s+broken|had\s+broken)\s+down",
        ("the home didn't work out", "the adults couldn't meet their needs there", "they had to move"),
        "Saying it 'broke down' quietly puts the failure on the child, not on the adults and support around them.",
    ),
    Rule(
        "hard_to_place",
        "difficult to place",
        r"(?:difficult|hard|impossible)\s+to\s+place",
        ("we haven't yet found the right home for them",),
        "The difficulty is in our search for a home, not in the child.",
    ),
    Rule(
        "placement",
        "placement",
        r"(?:(?:her|his|their|my|your|our|\w+['’]s|new|current|foster|fostering|residential|emergency|"
        r"out[- ]of[- ]area|long[- ]term|short[- ]term|kinship|previous|last|next|permanent|family|"
        r"care)\s+)?placements?(?:\s+(?:moves?|stability|plan))?",
        ("home", "their home with …", "where they live"),
        "To a child it is home; 'placement' makes it sound like an arrangement made about them.",
        not_before=r"(?:work|experience|student|practice|social\s+work|university|uni|college|course|"
        r"teaching|apprenticeship|nursing|training|ad|advert|product|job|a|the|this|that)\s*$",
        not_after=r"^\s*(?:orders?|year|team|panel|officer|provider|finding)\b",
    ),
    Rule(
        "placement_with_context",
        "placement",
        r"(?:a|the|this|that)\s+placements?",
        ("home", "their home with …", "where they live"),
        "To a child it is home; 'placement' makes it sound like an arrangement made about them.",
        needs=_HOME_WORDS,
        not_after=r"^\s*(?:orders?|year|team|panel)\b",
        not_near=r"work|student|university|college|course|apprenticeship|training|advert|product",
    ),
    Rule(
        "placed",
        "placed with / placed in",
        r"(?:was|were|been|is|are|be|being|got|get|gets)\s+placed\s+(?:with|in|into|at)",
        ("went to live with", "moved to live with", "lives with"),
        "'Placed' turns a child into something put somewhere; say who they went to live with.",
        needs=r"carers?|foster|home|residential|family|kinship|nan|gran|grandma|grandparents?|aunt|auntie|"
        r"uncle|care|friends?\s+and\s+family",
        not_near=r"agenda|queue|diary|child\s+protection\s+plan|hold",
    ),
    Rule(
        "unit",
        "the unit",
        r"(?:back\s+to|at|on|from|in|to|into|left)\s+the\s+unit|(?:residential|children['’]?s)\s+units?",
        ("home", "the house", "their home"),
        "Children live there and call it home; 'unit' sounds like a ward.",
        needs=_CHILDRENS_HOME + r"|after\s+school|school",
        not_near=r"hospital|ward|psychiatric|inpatient|police|mother\s+and\s+baby|parent\s+and\s+baby|"
        r"assessment\s+unit|secure|alcohol|housing|storage|kitchen",
    ),
    Rule(
        "residents",
        "residents",
        r"residents",
        ("the young people who live there", "the children at the house"),
        "It names young people as occupants of a building.",
        strength="gentle",
        needs=r"staff|shift|key\s*worker|children['’]?s\s+home|house|young\s+people",
        not_before=r"local\s*$",
        not_after=r"^['’]?\s*(?:association|meeting\s+of\s+the\s+street)",
    ),
    Rule(
        "respite",
        "respite",
        r"respite(?:\s+(?:care|carers?|foster\s+carers?|fostering|breaks?|stays?|weekends?|nights?))?",
        ("short break", "a sleepover", "a weekend with …"),
        "Respite means relief from something hard, which casts the child as the burden.",
    ),
    Rule(
        "foster_child",
        "foster child",
        r"foster\s+(?:child|children|kids?)",
        (NAME_NOTE, "the young person", "foster son or daughter, if they like that"),
        "A child is a person first; fostering needn't be their label.",
        strength="gentle",
    ),
    Rule(
        "real_parents",
        "real parents / natural parents",
        r"(?:real|natural)\s+(?:parents?|mum|mother|dad|father|family)",
        ("birth parents", "Mum", "Dad", "their family"),
        "It suggests carers or adopters are somehow not real.",
    ),
    Rule(
        "birth_parents",
        "birth parents",
        r"(?:birth|biological)\s+(?:parents?|mum|mother|dad|father)",
        ("Mum", "Dad", "their parents", "the words the child uses"),
        "When nothing needs telling apart, the extra word can distance a child from their own family.",
        strength="gentle",
    ),
    Rule(
        "sibling_group",
        "sibling group",
        r"sibling\s+(?:groups?|sets?|units?)",
        ("brothers and sisters", "the children, by name"),
        "Children say 'my brother' or 'my sister'; 'sibling group' sounds like a unit to be moved.",
    ),
    Rule(
        "peers",
        "peers",
        r"(?:his|her|their|my|your|with)\s+peers",
        ("friends", "other young people their age"),
        "It is the plain word children use themselves.",
        strength="gentle",
    ),
    # --- Family time and moving between adults
    Rule(
        "contact_centre",
        "contact centre",
        r"contact\s+cent(?:re|er)s?",
        ("family centre", "family time centre"),
        "The building is where families meet; name it for that.",
    ),
    Rule(
        "contact_worker",
        "contact worker",
        r"contact\s+(?:supervisors?|workers?)",
        ("family time worker", "the worker who supports family time"),
        "The role can follow the activity's kinder name.",
        strength="gentle",
    ),
    Rule(
        "contact_time",
        "contact (family time)",
        r"(?:supervised|supported|direct|indirect|letterbox|sibling|family|face[- ]to[- ]face|virtual|"
        r"weekly|fortnightly|monthly|overnight|unsupervised)\s+contact(?:\s+(?:sessions?|visits?))?|"
        r"contact\s+(?:sessions?|visits?|arrangements?|plans?|time|notes|records?|days?)|"
        r"(?:had|has|have|having)\s+contact|"
        r"contact\s+(?:went|was|is|has\s+been|will\s+be)\s+(?:really\s+|very\s+)?(?:well|cancell?ed|good|"
        r"difficult|hard|ok|okay|fine|positive|late|short|moved|stopped|suspended)",
        ("family time", "time with Mum, Dad or Nan", "seeing …"),
        "Seeing your own family is time together, not a procedure.",
        not_before=r"(?:eye|physical|sexual|skin[- ]to[- ]skin|no\s+eye)\s*$",
        not_after=r"^\s*(?:details?|numbers?|lens(?:es)?|orders?)\b",
        not_near=r"s\.?\s*34",
    ),
    Rule(
        "contact",
        "contact (family time)",
        r"contact",
        ("family time", "time with Mum, Dad or Nan", "seeing …"),
        "Seeing your own family is time together, not a procedure.",
        needs=_FAMILY,
        not_before=r"(?:to|will|please|pls|could|can|would|should|must|may|might|shall|i['’]ll|we['’]ll|"
        r"i|we|they|you|did|didn['’]t|not|eye|physical|sexual|skin[- ]to[- ]skin|point\s+of|first|in|"
        r"initial|front[- ]door|single\s+point\s+of|then|and\s+then|also)\s*$",
        not_after=r"^\s*(?:(?:the|his|her|their|your|my)\s+)?(?:" + _FAMILY + r")\b|"
        r"^\s*(?:details?|numbers?|information|info|form|list|e-?mail|address|lens(?:es)?|sports?|"
        r"person|telephone|phone|and\s+referral|orders?|us|me|them|him|her|school|the\s+school)\b",
        not_near=r"s\.?\s*34|contact\s+order",
    ),
    Rule(
        "handover",
        "handed over",
        r"hand(?:ed|ing|s)?[- ]?over|handovers?",
        ("went home with …", "said goodbye to Mum and went with …", "moved to live with …"),
        "Children are not parcels passed between adults.",
        needs=_CHILD_WORDS + r"|family\s+time|(?-i:\b(?!I\b)[A-Z]{1,2}\b)",
        not_near=r"shift|meeting|notes|keys?|phones?|paperwork|documents?|files?|calls?|"
        r"between\s+(?:professionals|workers|teams)|reports?|the\s+case\b",
    ),
    Rule(
        "custody",
        "custody (of a child)",
        r"(?:fight(?:s|ing)?\s+for\s+|want(?:s|ed)?\s+|win\s+)?(?:full|joint|shared|sole)\s+custody|"
        r"fight(?:s|ing)?\s+for\s+custody|custody\s+(?:of|over)\s+(?:the\s+|his\s+|her\s+|their\s+)?"
        r"(?:" + _CHILD_WORDS + r")|custody\s+battles?|want(?:s|ed)?\s+custody",
        ("who the child lives with", "time with", "child arrangements"),
        "Family law talks about who a child lives with and spends time with, not who wins them.",
        not_near=r"police|remand(?:ed)?|custody\s+suite|sergeant|custodial|arrested",
    ),
    Rule(
        "battle",
        "battle over the children",
        r"(?:court|legal)\s+battles?|battles?\s+over\s+the\s+(?:children|kids|child)|"
        r"fight(?:s|ing)?\s+(?:for|over)\s+(?:the\s+)?(?:children|kids|child)",
        ("a disagreement about arrangements", "both parents want …"),
        "Battle words push parents into conflict with the child caught in the middle.",
        strength="gentle",
    ),
    Rule(
        "access",
        "access (to a child)",
        r"access\s+to\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:child|children|kids|son|daughter|baby)|"
        r"access\s+visits?|(?:weekend|supervised|unsupervised)\s+access",
        ("time with", "who the child spends time with"),
        "A child is not somewhere you get access to; talk about time together.",
    ),
    Rule(
        "applicant",
        "the applicant / the respondent",
        r"the\s+(?:applicant|respondent|parties)",
        ("their names", "Mum", "Dad"),
        "Outside court papers, family names are kinder than legal labels.",
        strength="gentle",
    ),
    # --- Labels for children, young people and families
    Rule(
        "lac",
        "LAC",
        r"(?:LAC|CLA|LAAC)(?:\s+(?:reviews?|visits?|child(?:ren)?|kids?|status))?",
        (NAME_NOTE, "children in care", "their review"),
        "An acronym that sounds like 'lack'; children asked for 'children in care' or their name.",
        case_sensitive=True,
        not_after=r"^\s*(?:nurse|team|Team)\b",
    ),
    Rule(
        "looked_after",
        "looked-after child",
        r"looked[- ]after\s+(?:child(?:ren)?|young\s+(?:person|people)|status|reviews?)",
        (NAME_NOTE, "children in care", "children we care for"),
        "Children have said they prefer 'children in care', or simply their name.",
        strength="gentle",
    ),
    Rule(
        "stat_visit",
        "statutory visit",
        r"stat(?:utory)?\s+visits?",
        ("a visit to …", "time with …"),
        "Name the visit by who it is with and what it is for, not the deadline.",
        strength="gentle",
    ),
    Rule(
        "care_plan",
        "care plan",
        r"care\s+plan|pathway\s+plan",
        ("their plan", "plan for the future"),
        "Children want to own the plan that is about them.",
        strength="gentle",
    ),
    Rule(
        "care_leaver",
        "care leaver",
        r"care\s+leavers?",
        ("care-experienced young person", "… who grew up in care"),
        "Leaving shouldn't become who they are; keep the legal term where entitlements are meant.",
        strength="gentle",
    ),
    Rule(
        "permanence",
        "permanence",
        r"permanence",
        ("a settled home for good", "a home they can stay in"),
        "It is jargon; children describe a home with no more moves.",
        strength="gentle",
    ),
    Rule(
        "care_kids",
        "care kids",
        r"care\s+kids|kids\s+in\s+care",
        ("children in care", "care-experienced young people"),
        "Group nicknames set children apart from their classmates.",
    ),
    Rule(
        "neet",
        "NEET",
        r"NEETs?",
        ("not in work, education or training at the moment",),
        "Plain words describe a situation, not a person.",
        case_sensitive=True,
    ),
    Rule(
        "uasc",
        "UASC / asylum seeker",
        r"UASC",
        ("young person who came to the UK on their own", "… who is seeking asylum"),
        "Their immigration status is one fact about them, not who they are.",
        case_sensitive=True,
    ),
    Rule(
        "asylum_seeker",
        "asylum seeker",
        r"asylum[- ]seekers?",
        ("young person who is seeking asylum",),
        "Their immigration status is one fact about them, not who they are.",
        strength="gentle",
    ),
    Rule(
        "case",
        "case (for a child or family)",
        r"(?:my|our|her|his|their|your|new|open|closed|complex|difficult|allocated|active|passive|"
        r"(?-i:CIN|CP))\s+cases?|caseloads?|case[- ]?hold(?:er|ers|ing)|"
        r"clos(?:e|ed|ing)\s+the\s+case|case\s+(?:was|is|has\s+been|will\s+be)\s+(?:closed|opened|"
        r"transferred|allocated|stepped\s+down)",
        (NAME_NOTE, "the family", "the children and families I work with"),
        "Children don't want to be called cases; the word turns people into files.",
        strength="gentle",
        not_after=r"^\s*(?:discussions?|law|study|studies|conference|reviews?|notes?|references?|board|"
        r"files?|records?|summar(?:y|ies)|for\b)",
    ),
    Rule(
        "service_user",
        "service user",
        r"service[- ]users?|clients?",
        (NAME_NOTE, "the family", "people we work with"),
        "A service label can quietly become the person's identity.",
        strength="gentle",
    ),
    Rule(
        "vulnerable",
        "vulnerable",
        r"(?:is|was|are|were|very|so|extremely|highly|particularly|incredibly|really)\s+vulnerable|"
        r"vulnerable\s+(?:child|children|young\s+(?:person|people)|girl|boy|teenagers?|kids?)",
        ("name the worry: at risk of … because …",),
        "It can feel patronising, and it hides what the actual risk is.",
        strength="gentle",
        not_after=r"^\s*(?:adults?|witness(?:es)?)\b",
    ),
    Rule(
        "sanctions",
        "sanctions",
        r"sanctions?",
        ("consequences",),
        "A legal-sounding word for everyday boundaries at home.",
        strength="gentle",
        needs=_CHILDRENS_HOME + r"|young\s+person|bedtime|phone",
        not_near=r"benefits?|DWP|universal\s+credit|jobcentre|job\s+centre",
    ),
    # --- Behaviour and distress
    Rule(
        "challenging_behaviour",
        "challenging behaviour",
        r"challenging\s+behaviou?rs?",
        ("finding things hard", "upset", "say what happened and what came before"),
        "It describes how the adult feels, not what the child needs.",
    ),
    Rule(
        "attention_seeking",
        "attention-seeking",
        r"attention[- ]?seek(?:ing|er|ers)",
        ("attention-needing", "connection-seeking", "looking for help"),
        "Seen this way, it is a need for connection that adults can meet.",
    ),
    Rule(
        "manipulative",
        "manipulative",
        r"manipulative",
        ("trying to get a need met", "say what happened"),
        "It treats a way of surviving as a flaw of character.",
        strength="gentle",
        not_near=r"abuser|perpetrator|exploiter|groomer|older\s+males?|adults?|partner|boyfriend|man\b|men\b",
    ),
    Rule(
        "defiant",
        "defiant",
        r"defiant|oppositional",
        ("strong-willed", "said no to …", "sure of their own view"),
        "It turns determination into a fault and invites a power struggle.",
        strength="gentle",
    ),
    Rule(
        "aggressive",
        "aggressive",
        r"aggressive",
        ("frightened", "distressed", "say what they did and what set it off"),
        "A label for a reaction; describing what set it off says more.",
        strength="gentle",
        not_near=r"dad|father|step-?dad|partner|boyfriend|man\b|men\b|males?|adults?|perpetrator|abuser|"
        r"ex\b|presented\s+as|presenting\s+as|dog",
    ),
    Rule(
        "abscond",
        "absconded",
        r"abscond(?:ed|ing|er|ers|s)?|absconsion",
        ("ran away", "went missing", "was away without agreement"),
        "A prison word; say exactly what happened (and keep your missing protocol's own category).",
    ),
    # --- Process words that blame families
    Rule(
        "hard_to_reach",
        "hard to reach",
        r"hard[- ]to[- ]reach",
        ("we haven't yet found a way to reach …", "our service is hard for … to use"),
        "Being reachable is the service's job, not the family's.",
    ),
    Rule(
        "engage",
        "refused to engage",
        r"(?:refus(?:ed|es|ing)|fail(?:ed|s|ing)|unwilling|reluctant|not\s+willing)\s+to\s+engage|"
        r"(?:did\s+not|didn['’]t|does\s+not|doesn['’]t|won['’]t|will\s+not|would\s+not|wouldn['’]t|"
        r"not|isn['’]t|is\s+not)\s+engag(?:e|ing)|non[- ]?engage(?:ment|ing)|disengaged?|disengagement|"
        r"(?:poor|lack\s+of|limited|minimal|no)\s+engagement",
        ("say what was offered, what happened and what might help",),
        "It is a verdict on the family that hides the relationship and what got in the way.",
        not_near=r"engaged\s+to|community\s+engagement|engagement\s+event",
    ),
    Rule(
        "non_compliant",
        "non-compliant",
        r"non[- ]?complian(?:t|ce)|not\s+compliant",
        ("hasn't yet done …", "disagrees with the plan because …"),
        "It measures obedience, not the relationship.",
        not_near=r"GDPR|data|regulations?|standards?|polic(?:y|ies)|compliance\s+team|legislation",
    ),
    Rule(
        "disguised_compliance",
        "disguised compliance",
        r"disguised\s+compliance",
        ("describe the pattern you see and what it means for the child",),
        "It is vague and blaming, and it can harm the working relationship.",
        strength="gentle",
    ),
    Rule(
        "dna",
        "did not attend (a young child)",
        r"DNA['’]?d|DNA|did\s+not\s+attend|didn['’]t\s+attend",
        ("was not brought",),
        "A young child can't take themselves; the adults are responsible for getting them there.",
        case_sensitive=True,
        needs=r"(?i:appointments?|clinic|dentist|dental|health|GP|hospital|nursery|check-?up|"
        r"immunisations?|vaccinations?|child|baby|toddler)",
        not_near=r"(?i:tests?|testing|results?|samples?|paternity|swab)",
    ),
    Rule(
        "presented_as",
        "presented as",
        r"present(?:ed|s|ing)?\s+as\s+(?:very\s+|quite\s+|really\s+|so\s+|a\s+bit\s+|rather\s+)?"
        r"(?:hostile|aggressive|angry|fine|happy|settled|calm|well|withdrawn|anxious|defensive|guarded|"
        r"cooperative|co-operative|chaotic|evasive|unkempt|confrontational|low|flat|upset|distressed|"
        r"agitated|intoxicated|tired|dishevelled|bright|relaxed|tearful|volatile|resistant|argumentative|"
        r"rude|difficult|manipulative|needy|unstable|hysterical|dismissive)",
        ("describe what was said or done, and what was happening around it",),
        "A judgement dressed as an observation; describing what happened is fairer and clearer.",
        strength="gentle",
    ),
    Rule(
        "lifestyle_choice",
        "lifestyle choice",
        r"lifestyle\s+choices?",
        ("describe what is happening to them", "the choices open to them"),
        "It implies free choice where a child may be being exploited.",
    ),
    Rule(
        "self_at_risk",
        "putting themselves at risk",
        r"(?:put(?:s|ting)?|plac(?:e|es|ed|ing))\s+(?:himself|herself|themselves|themself)\s+at\s+risk|"
        r"risky\s+behaviou?rs?|risk[- ]taking\s+behaviou?rs?",
        ("… is being harmed or exploited by …", "say what the adults are doing"),
        "It moves responsibility from the people harming a child onto the child.",
    ),
    Rule(
        "involved_in_exploitation",
        "involved in CSE",
        r"involved\s+in\s+(?:(?-i:CSE|CCE)|county\s+lines|sexual\s+exploitation|criminal\s+exploitation|"
        r"gangs?|prostitution)",
        ("is being sexually exploited", "is being criminally exploited"),
        "'Involved' suggests the child chose to take part.",
    ),
    Rule(
        "older_boyfriend",
        "older boyfriend",
        r"older\s+boyfriends?",
        ("an adult who may be grooming or exploiting them",),
        "The label can hide exploitation.",
    ),
    Rule(
        "disclosed",
        "disclosed",
        r"(?:she|he|they|(?-i:[A-Z]{1,2})|child|young\s+person)\s+(?:has\s+)?disclosed|"
        r"made\s+(?:a\s+|further\s+)?disclosures?",
        ("told", "said", "shared"),
        "Plain and neutral; keep 'disclosure' where a procedure asks for it.",
        strength="gentle",
        not_near=r"DBS|barring|enhanced|court|documents?|records?|Clare['’]s\s+Law|data|information",
    ),
    # --- Process words about direct work
    Rule(
        "piece_of_work",
        "piece of work",
        r"piece\s+of\s+(?:direct\s+|life[- ]story\s+)?work|"
        r"(?:completed|finished|done)\s+(?:the\s+|their\s+|her\s+|his\s+)?life[- ]story\s+work|"
        r"life[- ]story\s+work\s+(?:is\s+|was\s+|has\s+been\s+)?(?:done|completed|finished|complete)",
        ("carrying on talking with them about their story", "time with …"),
        "Life-story work is a conversation in layers that is never really finished.",
        strength="gentle",
        needs=r"life[- ]story|direct\s+work|done|completed|finished|complete|with\s+(?:him|her|them)",
    ),
    Rule(
        "accessing_the_community",
        "accessing the community",
        r"access(?:ing|es|ed)?\s+the\s+community",
        ("going out", "going to the park or the shops"),
        "Nobody else 'accesses the community'; it makes ordinary life sound clinical.",
    ),
    Rule(
        "bed",
        "a bed (for a home)",
        r"(?:find|found|finding|need|needs|needed|available|emergency|spare|secure)\s+(?:a\s+)?beds?|"
        r"a\s+bed\s+for",
        ("a home", "a place to live"),
        "A home is more than bed capacity.",
        strength="gentle",
        not_near=r"went\s+to\s+bed|bedtime|bedroom|hospital|ward|bunk",
    ),
)

_SENTENCE = re.compile(r"[^.?!\n•]+[.?!]*")
_QUOTES = re.compile(
    r"\"[^\"\n]*\"|“[^”\n]*”|(?<![\w])'[^'\n]*?'(?![\w])|‘[^’\n]*’|(?:said|says|told\s+me|told\s+us|asked)\s*:[^\n]*",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(
    r"^\s+(?:Team|Service|Services|Centre|Center|Panel|Forum|Covenant|Offer|Foundation|Order|Project|Hub)\b"
)
_WORD = re.compile(r"[\w'’-]+")


def _compiled(rule: Rule) -> re.Pattern[str]:
    flags = 0 if rule.case_sensitive else re.IGNORECASE
    return re.compile(r"(?<![\w-])(?:" + rule.pattern + r")(?![\w-])", flags)


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    span: re.Pattern[str]
    needs: re.Pattern[str] | None
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    not_near: re.Pattern[str] | None


def _compile(rule: Rule) -> _Compiled:
    def opt(p: str | None, *, ignore_case: bool = True) -> re.Pattern[str] | None:
        if p is None:
            return None
        return re.compile(
            p if p.startswith("^") or p.endswith("$") else r"(?<![\w])(?:" + p + r")(?![\w])",
            re.IGNORECASE if ignore_case else 0,
        )

    return _Compiled(
        rule,
        _compiled(rule),
        opt(rule.needs, ignore_case=not rule.case_sensitive),
        opt(rule.not_before),
        opt(rule.not_after),
        opt(rule.not_near, ignore_case=not rule.case_sensitive),
    )


_RULES = tuple(_compile(r) for r in RULES)


def _window(sentence: str, start: int, end: int) -> tuple[str, str]:
    """Up to WINDOW_WORDS words either side of a span, within its sentence."""
    before = sentence[:start]
    after = sentence[end:]
    b_words = list(_WORD.finditer(before))
    a_words = list(_WORD.finditer(after))
    b = before[b_words[-WINDOW_WORDS].start() :] if len(b_words) >= WINDOW_WORDS else before
    a = after[: a_words[WINDOW_WORDS - 1].end()] if len(a_words) >= WINDOW_WORDS else after
    return b, a


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


@dataclass(frozen=True)
class TeamWord:
    """A team's own word: matched as a whole word or phrase, any case."""

    id: int
    term: str
    alternatives: tuple[str, ...]
    why: str


def _team_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])", re.IGNORECASE)


def find(text: str, team_words: tuple[TeamWord, ...] = ()) -> list[Hint]:
    """Every span worth a second look, in reading order. Suggestions only, never a rewrite."""
    if not text or not text.strip():
        return []
    quoted = _quoted_spans(text)
    found: list[Hint] = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        offset = sm.start()
        lead = len(sentence) - len(sentence.lstrip(" \t-*•\"“'‘("))
        for c in _RULES:
            rule = c.rule
            for m in c.span.finditer(sentence):
                start, end = m.start(), m.end()
                if _inside(quoted, offset + start, offset + end):
                    continue
                span_text = m.group(0)
                words = span_text.split()
                at_start = start <= lead
                if (
                    rule.names_allowed
                    and not rule.case_sensitive
                    and not at_start
                    and words[-1][:1].isupper()
                    and not words[-1].isupper()
                ):
                    continue  # a capitalised word in mid-sentence: a team, charity or order (G2)
                if _NAME_AFTER.match(sentence[end:]) and words[-1][:1].isupper():
                    continue
                before, after = _window(sentence, start, end)
                if c.not_before and c.not_before.search(sentence[:start]):
                    continue
                if c.not_after and c.not_after.search(sentence[end:]):
                    continue
                if c.needs and not (c.needs.search(before) or c.needs.search(after)):
                    continue
                if c.not_near and (
                    c.not_near.search(before) or c.not_near.search(after) or c.not_near.search(span_text)
                ):
                    continue
                found.append(
                    Hint(
                        offset + start,
                        offset + end,
                        span_text,
                        rule.key,
                        rule.label,
                        rule.alternatives,
                        rule.why,
                        rule.strength,
                    )
                )
        for word in team_words:
            for m in _team_pattern(word.term).finditer(sentence):
                if _inside(quoted, offset + m.start(), offset + m.end()):
                    continue
                found.append(
                    Hint(
                        offset + m.start(),
                        offset + m.end(),
                        m.group(0),
                        f"team:{word.id}",
                        word.term,
                        word.alternatives,
                        word.why,
                        "gentle",
                        team_term=True,
                    )
                )
    return _longest_first(found)


def _longest_first(hints: list[Hint]) -> list[Hint]:
    """One flag per span: the longest match wins (G4); ties go to the built-in list's order."""
    kept: list[Hint] = []
    for h in sorted(hints, key=lambda h: -(h.end - h.start)):
        if not any(h.start < k.end and k.start < h.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def word_list() -> list[dict[str, str]]:
    """The built-in list as rows (for the screen that explains the lens)."""
    seen: set[str] = set()
    rows = []
    for r in RULES:
        if r.label in seen:
            continue
        seen.add(r.label)
        rows.append(
            {
                "Words": r.label,
                "You might say instead": "; ".join(r.alternatives),
                "Why": r.why,
                "How strongly": "worth a second look" if r.strength == "strong" else "a gentle thought",
            }
        )
    return rows


# ---------------------------------------------------------------- a team's own words


@dataclass(frozen=True)
class TeamTermLine:
    id: int
    team_id: int
    term: str
    alternatives: str
    why: str
    added_by: str
    created_at: datetime


def _split_alternatives(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[;\n]", value or "") if a.strip())


def team_words(actor: Actor, team_id: int | None = None) -> tuple[TeamWord, ...]:
    """The words the actor's teams have added (one team, or all of theirs)."""
    teams = actor.team_ids if team_id is None else tuple(t for t in actor.team_ids if t == team_id)
    if not teams or actor.role not in ("practitioner", "supervisor", "manager"):
        return ()
    with session_scope() as s:
        rows = s.exec(
            select(LanguageTerm).where(col(LanguageTerm.team_id).in_(teams)).order_by(LanguageTerm.term)
        ).all()
        return tuple(TeamWord(r.id, r.term, _split_alternatives(r.alternatives), r.why) for r in rows)


def hints_for(actor: Actor, text: str, team_id: int | None = None) -> list[Hint]:
    return find(text, team_words(actor, team_id))


def team_terms(actor: Actor, team_id: int) -> tuple[TeamTermLine, ...]:
    if team_id not in actor.team_ids or actor.role not in ("practitioner", "supervisor", "manager"):
        raise NotAllowed("That team's words aren't open to you.")
    with session_scope() as s:
        rows = s.exec(
            select(LanguageTerm, Person.display_name)
            .join(Person, col(Person.id) == col(LanguageTerm.created_by_id))
            .where(LanguageTerm.team_id == team_id)
            .order_by(LanguageTerm.term)
        ).all()
        return tuple(
            TeamTermLine(t.id, t.team_id, t.term, t.alternatives, t.why, name, t.created_at)
            for t, name in rows
        )


def add_team_term(actor: Actor, team_id: int, *, term: str, alternatives: str, why: str) -> int:
    """A supervisor adds a word their team would like to notice, with kinder words and why."""
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Your team's supervisor looks after the team's words.")
    c = Checks()
    term = c.text("term", term, "The word or phrase", max_len=60, single_line=True)
    alternatives = c.text("alternatives", alternatives, "Kinder words", max_len=400)
    why = c.text("why", why, "Why it matters", max_len=300)
    if term and not re.search(r"\w", term):
        c.add("term", "Please use a word or phrase with at least one letter or number.")
    with session_scope(write=True) as s:
        existing = s.exec(select(LanguageTerm.term).where(LanguageTerm.team_id == team_id)).all()
        if term and term.lower() in {e.lower() for e in existing}:
            c.add("term", "Your team already has that word on its list.")
        c.raise_if_any()
        row = LanguageTerm(
            team_id=team_id, term=term, alternatives=alternatives, why=why, created_by_id=actor.person_id
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            "create",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="language_term",
            record_id=row.id,
            team_id=team_id,
        )
        return int(row.id)


def remove_team_term(actor: Actor, term_id: int) -> None:
    with session_scope(write=True) as s:
        row = s.get(LanguageTerm, term_id)
        if row is None:
            raise NotValid({"term": "That word has already been taken off the list."})
        if row.team_id not in supervised_team_ids(actor):
            raise NotAllowed("Your team's supervisor looks after the team's words.")
        s.delete(row)
        audit.record(
            s,
            "delete",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="language_term",
            record_id=term_id,
            team_id=row.team_id,
        )
