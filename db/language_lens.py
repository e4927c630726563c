"""The relational-language lens: a rule-based, explainable second look at free text.

Words shape how a child or family is seen. Circle's own list of words and phrases that
make a person sound like a process (built from the researched list in the project's
LANGUAGE.md, with our own wording), each with kinder alternatives and a one-line why,
lives in `db.language_lens_words`; this module applies it, with the context rules that
keep it from crying wolf:

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

from sqlmodel import Session, col, select

from db import audit
from db.access import Actor, supervised_team_ids
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.language_lens_words import RULES, Rule
from db.models import LanguageTerm, Person
from db.validation import Checks

WINDOW_WORDS = 6  # context looked at on each side of a match, within its sentence


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


def _silenced(c: _Compiled, sentence: str, start: int, end: int, lead: int) -> bool:
    """Whether the context keeps this rule quiet on the span sentence[start:end]."""
    rule, span_text = c.rule, sentence[start:end]
    words = span_text.split()
    at_start = start <= lead
    if (
        rule.names_allowed
        and not rule.case_sensitive
        and not at_start
        and words[-1][:1].isupper()
        and not words[-1].isupper()
    ):
        return True  # a capitalised word in mid-sentence: a team, charity or order (G2)
    if _NAME_AFTER.match(sentence[end:]) and words[-1][:1].isupper():
        return True
    before, after = _window(sentence, start, end)
    if c.not_before and c.not_before.search(sentence[:start]):
        return True
    if c.not_after and c.not_after.search(sentence[end:]):
        return True
    if c.needs and not (c.needs.search(before) or c.needs.search(after)):
        return True
    return bool(
        c.not_near and (c.not_near.search(before) or c.not_near.search(after) or c.not_near.search(span_text))
    )


def _rule_hints(sentence: str, offset: int, quoted: list[tuple[int, int]]) -> list[Hint]:
    lead = len(sentence) - len(sentence.lstrip(" \t-*•\"“'‘("))
    found: list[Hint] = []
    for c in _RULES:
        rule = c.rule
        for m in c.span.finditer(sentence):
            start, end = m.start(), m.end()
            if _inside(quoted, offset + start, offset + end) or _silenced(c, sentence, start, end, lead):
                continue
            found.append(
                Hint(
                    offset + start,
                    offset + end,
                    m.group(0),
                    rule.key,
                    rule.label,
                    rule.alternatives,
                    rule.why,
                    rule.strength,
                )
            )
    return found


def _team_hints(
    sentence: str, offset: int, quoted: list[tuple[int, int]], team_words: tuple[TeamWord, ...]
) -> list[Hint]:
    return [
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
        for word in team_words
        for m in _team_pattern(word.term).finditer(sentence)
        if not _inside(quoted, offset + m.start(), offset + m.end())
    ]


def find(text: str, team_words: tuple[TeamWord, ...] = ()) -> list[Hint]:
    """Every span worth a second look, in reading order. Suggestions only, never a rewrite."""
    if not text or not text.strip():
        return []
    quoted = _quoted_spans(text)
    found: list[Hint] = []
    for sm in _SENTENCE.finditer(text):
        found += _rule_hints(sm.group(0), sm.start(), quoted)
        found += _team_hints(sm.group(0), sm.start(), quoted, team_words)
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


def _audit(s: Session, actor: Actor, action: str, term_id: int, team_id: int) -> None:
    audit.by(s, actor, action, "language_term", term_id, team_id)


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
        _audit(s, actor, "create", row.id, team_id)
        return int(row.id)


def remove_team_term(actor: Actor, term_id: int) -> None:
    with session_scope(write=True) as s:
        row = s.get(LanguageTerm, term_id)
        if row is None:
            raise NotValid({"term": "That word has already been taken off the list."})
        if row.team_id not in supervised_team_ids(actor):
            raise NotAllowed("Your team's supervisor looks after the team's words.")
        s.delete(row)
        _audit(s, actor, "delete", term_id, row.team_id)
