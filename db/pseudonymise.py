"""Keeping case records pseudonymised: what a reference may not hold, and what free text
should gently flag.

A case reference is initials or a local reference number. It is *refused* when it looks
like a full name (two or more capitalised words, or initials before a surname), any date,
an NHS number (ten digits, optionally spaced 3-3-4) or a UK postcode. Free text (mapping,
formulation, network notes) is never blocked: `findings()` names what it noticed so the
screen can ask the person to have a second look.

Pure functions, no database: the data layer calls them inside its own checks.
"""

from __future__ import annotations

import re

NAME = "a full name"
DATE = "a date"
NHS = "an NHS number"
POSTCODE = "a postcode"

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)?\d{2}"

# Dates that carry a year: these could be a date of birth, so free text flags them too.
_DATE_WITH_YEAR = re.compile(
    rf"""(?<![\w])(?:
        \d{{1,2}}\s*[/.\-]\s*\d{{1,2}}\s*[/.\-]\s*\d{{2,4}}          # 12/03/2014, 1-3-14
      | \d{{4}}\s*[/.\-]\s*\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}            # 2014-03-12
      | {_DAY}\s*(?:of\s+)?{_MONTHS}\.?,?\s*{_YEAR}                  # 12 March 2014, 12th Mar 14
      | {_MONTHS}\.?\s+{_DAY},?\s+{_YEAR}                            # March 12, 2014
      | {_MONTHS}\.?\s+(?:19|20)\d{{2}}                              # March 2014
    )(?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)
# Any date at all, for references: day and month alone are refused there too.
_DATE_ANY = re.compile(
    rf"""(?<![\w])(?:
        \d{{1,2}}\s*/\s*\d{{1,2}}                                    # 12/03
      | {_DAY}\s*(?:of\s+)?{_MONTHS}\b                               # 12 March, 12th Mar
      | {_MONTHS}\.?\s*{_DAY}(?![\w])                                # March 12, Mar12
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_BIRTH = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born on)\b", re.IGNORECASE)
# Ten digits, together or spaced 3-3-4 (spaces or dashes), not part of a longer number.
_NHS = re.compile(r"(?<!\d)\d{3}[ \-]?\d{3}[ \-]?\d{4}(?!\d)")
# The UK postcode shapes: outward code (A9, A99, AA9, AA99, A9A, AA9A) then inward (9AA).
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_TOKEN_EDGE = "\"'“”‘’()[]{}<>"


def _capitalised(word: str) -> bool:
    """A word written like a name: an upper-case letter, then lower-case letters (any
    script), allowing apostrophes and hyphens inside ("O'Neill", "Smith-Jones")."""
    word = word.strip(_TOKEN_EDGE).rstrip(".,;:!?")
    if len(word) < 2 or not word[0].isupper():
        return False
    rest = word[1:]
    letters = [ch for ch in rest if ch not in "'’-"]
    return bool(letters) and all(ch.isalpha() for ch in letters) and any(ch.islower() for ch in letters)


def _initial(word: str) -> bool:
    word = word.strip(_TOKEN_EDGE).replace(".", "")
    return 1 <= len(word) <= 3 and word.isalpha() and word.isupper()


# Capitalised for reasons other than being someone's name: family words, days, months.
_NOT_NAMES = frozenset(
    "mum dad nan nana nanna gran grandad grandma grandpa aunt auntie uncle sister brother "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december year".split()
)


def _ordinary(word: str) -> bool:
    word = word.lower().removesuffix("'s").removesuffix("’s")
    return word in _NOT_NAMES or word.removesuffix("s") in _NOT_NAMES


def _looks_like_name(text: str, *, strict: bool) -> bool:
    """Two capitalised words side by side, within one sentence. `strict` (references) also
    counts initials before a surname ("J Smith", "J.T. Smith"); free text skips family
    words, days and months ("Mum", "Friday"), which are capitalised without naming anyone."""
    clauses = text.split("\n") if strict else re.split(r"[.!?;:,]+(?:\s+|$)|\n", text)
    for clause in clauses:
        words = [w.strip(_TOKEN_EDGE) for w in clause.split()]
        words = [w for w in words if any(ch.isalnum() for ch in w)]  # "J . Smith" reads as "J Smith"
        for first, second in zip(words, words[1:], strict=False):
            if strict:
                if _capitalised(second) and (_capitalised(first) or _initial(first)):
                    return True
            elif (
                _capitalised(first)
                and _capitalised(second)
                and not _ordinary(first)
                and not _ordinary(second)
            ):
                return True
    return False


def _findings(text: str, *, strict: bool) -> list[str]:
    """What could identify someone. `strict` (a case reference) reads names strictly and
    counts any date, not only one with a year."""
    found = []
    if _looks_like_name(text, strict=strict):
        found.append(NAME)
    if _DATE_WITH_YEAR.search(text) or (strict and _DATE_ANY.search(text)) or _BIRTH.search(text):
        found.append(DATE)
    if _NHS.search(text):
        found.append(NHS)
    if _POSTCODE.search(text):
        found.append(POSTCODE)
    return found


def findings(text: str | None) -> list[str]:
    """What in this free text looks like it could identify someone, in plain words."""
    return _findings(text or "", strict=False)


def reference_findings(reference: str | None) -> list[str]:
    """What makes a case reference identifying (empty when it is safely pseudonymised)."""
    return _findings(reference or "", strict=True)


def _join(kinds: list[str]) -> str:
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]


def reference_problem(reference: str | None) -> str | None:
    """The message refusing a reference, or None when it is fine."""
    found = reference_findings(reference)
    if not found:
        return None
    return (
        f"This looks like it could hold {_join(found)}. A case reference keeps the family "
        "unnamed: please use initials or your local reference number (for example JT-07)."
    )


def free_text_warning(fields: dict[str, str], labels: dict[str, str]) -> str | None:
    """One gentle sentence naming the fields that may identify someone, or None."""
    noticed = []
    for field, value in fields.items():
        found = findings(value)
        if found:
            noticed.append(f"{labels.get(field, field)} ({_join(found)})")
    if not noticed:
        return None
    return (
        "Something you wrote may identify someone: "
        + "; ".join(noticed)
        + ". Records here stay pseudonymised, so could you use initials or a role instead? "
        "It has been saved as written; you can change it any time."
    )
