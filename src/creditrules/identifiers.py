"""Check and mask the two identifiers a credit case names its parties by.

* 统一社会信用代码 (unified social credit code, "USCC", GB 32100-2015) for
  organisations, including the organisation code it embeds (GB 11714-1997).
* 居民身份证号码 (citizen identification number, GB 11643-1999) for people.

Every check comes in two forms: ``*_problem`` returns a plain-English sentence
saying what is wrong (or ``None``), so an input error can be shown to the person
who typed the number; ``*_is_valid`` is the boolean shorthand.

Nothing here normalises its input (no stripping, no upper-casing): a number that
needs fixing is reported, not silently repaired, because the case file that holds
it is evidence and must match what was checked.

This module imports only the standard library: it sits below the rule model in
the layer contract and must stay usable on its own.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

__all__ = [
    "IdentifierKind",
    "identifier_problem",
    "mask_identifier",
    "mask_person_name",
    "resident_id_birth_date",
    "resident_id_is_valid",
    "resident_id_problem",
    "uscc_is_valid",
    "uscc_problem",
]

IdentifierKind = Literal["organisation", "person", "any"]
"""Which identifier :func:`identifier_problem` expects."""

# Both identifiers are exactly 18 characters long.
_LENGTH = 18

# Explicit ASCII sets rather than str.isdigit()/str.islower(): those accept
# full-width and other Unicode digits and letters ('１', 'ａ'), which never occur
# in a valid number and would otherwise slip through or crash int().
_DIGITS = "0123456789"
_ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz"

# --- 统一社会信用代码, GB 32100-2015 ----------------------------------------

# The 31 code characters in value order (value = index). I, O, Z, S and V are
# left out because they are easily mistaken for 1, 0, 2, 5 and U.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: value for value, ch in enumerate(_USCC_ALPHABET)}
# Weight of position i is 3**(i-1) mod 31, as tabulated in the standard.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_MODULUS = 31

# --- 组织机构代码, GB 11714-1997 (positions 9-17 of a USCC) ---------------------

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_MODULUS = 11

# --- 公民身份号码, GB 11643-1999 ---------------------------------------------

# Weight of position i is 2**(18-i) mod 11 (ISO 7064 MOD 11-2).
_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Indexed by the weighted sum mod 11; 'X' stands for the value 10.
_RESIDENT_CHECK = "10X98765432"
_RESIDENT_CHECK_CHARS = _DIGITS + "X"
# Days per month in a common year; _days_in_month adds the leap day.
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The earliest birth date accepted: people born before 1900 cannot be parties
# to a present-day credit case, and an earlier date almost always means a typo.
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _whitespace_problem(code: str) -> str | None:
    """Report whitespace before anything else, since it also breaks the length."""
    if code != code.strip():
        return "has leading or trailing whitespace"
    for position, ch in enumerate(code, start=1):
        if ch.isspace():
            return f"contains whitespace at position {position}"
    return None


def _length_problem(code: str) -> str | None:
    if code == "":
        return "is empty"
    if len(code) != _LENGTH:
        return f"must be {_LENGTH} characters, got {len(code)}"
    return None


def _uscc_check_char(body: str) -> str:
    """Return the USCC check character (position 18) for a 17-character body."""
    total = sum(_USCC_VALUE[ch] * weight for ch, weight in zip(body, _USCC_WEIGHTS, strict=True))
    # 31 - 0 = 31 has no character; the standard maps it to value 0.
    return _USCC_ALPHABET[(_USCC_MODULUS - total % _USCC_MODULUS) % _USCC_MODULUS]


def _org_code_value(ch: str) -> int:
    # GB 11714 values letters by their place in the full Latin alphabet
    # (A=10 ... Z=35), not by their place in the USCC alphabet: 'J' is 19 here
    # but 18 in the USCC sum. Using the USCC value would wrongly reject codes.
    if ch in _DIGITS:
        return int(ch)
    return ord(ch) - ord("A") + 10


def _org_code_check_char(body: str) -> str:
    """Return the GB 11714 check character for the 8-character organisation code body."""
    total = sum(_org_code_value(ch) * weight for ch, weight in zip(body, _ORG_WEIGHTS, strict=True))
    value = _ORG_MODULUS - total % _ORG_MODULUS
    if value == 10:
        return "X"
    if value == 11:
        return "0"
    return str(value)


def uscc_problem(code: str) -> str | None:
    """Say what is wrong with a unified social credit code (统一社会信用代码), or ``None``.

    Checks, in order: whitespace, length (18), that every character is in the
    code alphabet ``0-9`` plus ``ABCDEFGHJKLMNPQRTUWXY`` (upper case only; I, O, S,
    V and Z are never used), that positions 3-8 (the administrative division) are
    digits, the check character in position 18 (GB 32100-2015), and finally the
    check character of the organisation code in positions 9-17 (GB 11714-1997).

    The registration authority (position 1) and organisation type (position 2) are
    only checked against the alphabet: their value lists are maintained outside the
    check-digit rules and can grow, and a stale list here would reject a real
    organisation.
    """
    problem = _whitespace_problem(code) or _length_problem(code)
    if problem is not None:
        return problem

    for position, ch in enumerate(code, start=1):
        if ch in _ASCII_LOWER:
            return (
                f"character {ch!r} at position {position} is lower case; "
                f"codes are upper case, use {ch.upper()!r}"
            )
        if ch not in _USCC_VALUE:
            return f"character {ch!r} at position {position} is not allowed"

    division = code[2:8]
    if any(ch not in _DIGITS for ch in division):
        return f"administrative division code {division!r} at positions 3-8 must be 6 digits"

    expected = _uscc_check_char(code[:17])
    if code[17] != expected:
        return f"check character should be {expected!r}, got {code[17]!r}"

    # Checked after the overall check character: a typo anywhere in positions
    # 9-17 breaks both, and the overall check is the one that covers the typo.
    org_expected = _org_code_check_char(code[8:16])
    if code[16] != org_expected:
        return (
            "organisation code check character (position 17) should be "
            f"{org_expected!r}, got {code[16]!r}"
        )
    return None


def uscc_is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed unified social credit code.

    See :func:`uscc_problem` for what is checked.
    """
    return uscc_problem(code) is None


def _resident_check_char(body: str) -> str:
    """Return the check character (position 18) for a 17-digit resident ID body."""
    total = sum(int(ch) * weight for ch, weight in zip(body, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11]


def _days_in_month(year: int, month: int) -> int:
    # Computed here rather than with the stdlib calendar module: the sibling
    # creditrules.calendar shadows it whenever a tool treats src/creditrules as a
    # search root, and the Gregorian rule is short enough to state directly.
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _birth_date_problem(digits: str) -> str | None:
    """Check the YYYYMMDD birth date held in positions 7-14."""
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    where = f"birth date {digits} (positions 7-14)"
    # Year first, so year 0 (which datetime.date cannot hold) is refused here
    # and never reaches the date() call in resident_id_birth_date.
    if year < _EARLIEST_BIRTH_DATE.year:
        return f"{where} is before {_EARLIEST_BIRTH_DATE.isoformat()}"
    if not 1 <= month <= 12:
        return f"{where} is not a real date: there is no month {month:02d}"
    days_in_month = _days_in_month(year, month)
    if not 1 <= day <= days_in_month:
        return (
            f"{where} is not a real date: {year:04d}-{month:02d} has "
            f"{days_in_month} days, not {day:02d}"
        )
    return None


def resident_id_problem(code: str) -> str | None:
    """Say what is wrong with an 18-digit resident ID number (居民身份证号码), or ``None``.

    Checks, in order: whitespace, length (18), that positions 1-17 are digits and
    position 18 is a digit or upper-case ``X``, that the birth date in positions
    7-14 is a real calendar date not before 1900-01-01, and the check character
    (GB 11643-1999).

    The address code (positions 1-6) is not checked against a list: division codes
    are renumbered over time and people keep their original number, and the
    residence permits for Hong Kong, Macao and Taiwan residents (81, 82, 83) share
    this format. Birth dates in the future are not rejected because this module
    has no clock; a caller holding an ``as_of`` date can compare with
    :func:`resident_id_birth_date`.
    """
    problem = _whitespace_problem(code)
    if problem is not None:
        return problem
    if len(code) == 15 and all(ch in _DIGITS for ch in code):
        # Say why a first-generation (pre-1999) number is refused rather than
        # just quoting the length, since the holder may not know it changed.
        return f"must be {_LENGTH} characters, got 15 (15-digit first-generation numbers are not accepted)"
    problem = _length_problem(code)
    if problem is not None:
        return problem

    for position, ch in enumerate(code[:17], start=1):
        if ch not in _DIGITS:
            return f"character {ch!r} at position {position} is not allowed; positions 1-17 must be digits"
    check = code[17]
    if check == "x":
        return "character 'x' at position 18 is lower case; codes are upper case, use 'X'"
    if check not in _RESIDENT_CHECK_CHARS:
        return f"character {check!r} at position 18 is not allowed; the check character is a digit or 'X'"

    problem = _birth_date_problem(code[6:14])
    if problem is not None:
        return problem

    expected = _resident_check_char(code[:17])
    if check != expected:
        return f"check character should be {expected!r}, got {check!r}"
    return None


def resident_id_is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed 18-digit resident ID number.

    See :func:`resident_id_problem` for what is checked.
    """
    return resident_id_problem(code) is None


def resident_id_birth_date(code: str) -> date | None:
    """Return the birth date encoded in a resident ID number.

    Returns ``None`` unless the whole number is valid: a date read from a number
    with a wrong check character may itself hold the typo.
    """
    if not resident_id_is_valid(code):
        return None
    return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def _looks_like_resident_id(code: str) -> bool:
    """Whether ``code`` has the shape of a resident ID: 17 digits, a check, a real birth date."""
    return (
        len(code) == _LENGTH
        and all(ch in _DIGITS for ch in code[:17])
        and code[17] in _RESIDENT_CHECK_CHARS
        and _birth_date_problem(code[6:14]) is None
    )


def identifier_problem(code: str, *, kind: IdentifierKind) -> str | None:
    """Say what is wrong with a party identifier of the given kind, or ``None``.

    * ``"organisation"``: the code must be a unified social credit code.
    * ``"person"``: the code must be a resident ID number (a sole trader, 个体工商户,
      is named by their USCC as an organisation, not here).
    * ``"any"``: either is accepted. The shape picks which reading is reported
      when neither fits: 17 digits, a digit or ``X``, and a real birth date in
      positions 7-14 read as a resident ID, anything else as a USCC. The other
      reading is still tried first, because an all-digit USCC can have that shape
      too. The message then ends by naming the reading it comes from.

    Raises:
        ValueError: if ``kind`` is not one of the three values above.
    """
    if kind == "organisation":
        return uscc_problem(code)
    if kind == "person":
        return resident_id_problem(code)
    if kind != "any":
        raise ValueError(f"kind must be 'organisation', 'person' or 'any', got {kind!r}")

    resident = resident_id_problem(code)
    if resident is None:
        return None
    uscc = uscc_problem(code)
    if uscc is None:
        return None
    if _looks_like_resident_id(code):
        return f"{resident} (read as a resident ID number)"
    return f"{uscc} (read as a unified social credit code)"


def mask_identifier(code: str) -> str:
    """Mask an identifier for display, keeping its first 4 and last 2 characters.

    The result has the same length; every other character becomes ``*``. The first
    4 characters (registration authority and province, or province and city) and
    the last 2 let a reader tell numbers apart without exposing them. A code of 6
    characters or fewer is masked completely, since keeping 6 would keep it all.
    """
    if len(code) <= 6:
        return "*" * len(code)
    return code[:4] + "*" * (len(code) - 6) + code[-2:]


def mask_person_name(name: str) -> str:
    """Mask a person's name for display: keep the first character, ``*`` for each other.

    ``"张三"`` becomes ``"张*"`` and ``"欧阳娜娜"`` becomes ``"欧***"``. The length is
    kept so the masked name still lines up with other masked names. A name of one
    character is masked completely (``"张"`` becomes ``"*"``): keeping its first character
    would keep it all. Organisation names are public record and are not masked, so there
    is no counterpart for them.
    """
    if len(name) <= 1:
        return "*" * len(name)
    return name[:1] + "*" * (len(name) - 1)
