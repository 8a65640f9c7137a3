"""Tests for creditrules.identifiers.

The check characters are recomputed here by a separate, deliberately plain
implementation of each standard, so a mistake in the module's tables is not
mirrored by the test's expectations.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditrules.identifiers import (
    IdentifierKind,
    identifier_problem,
    mask_identifier,
    mask_person_name,
    resident_id_birth_date,
    resident_id_is_valid,
    resident_id_problem,
    uscc_is_valid,
    uscc_problem,
)

# ---------------------------------------------------------------------------
# Independent oracles
# ---------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def org_check(body8: str) -> str:
    """GB 11714 check character; letters count A=10 ... Z=35."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    c9 = 11 - sum(v * w for v, w in zip(values, ORG_WEIGHTS, strict=True)) % 11
    if c9 == 10:
        return "X"
    if c9 == 11:
        return "0"
    return str(c9)


def uscc_check(body17: str) -> str:
    """GB 32100 check character."""
    c18 = (
        31 - sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True)) % 31
    )
    return USCC_ALPHABET[0 if c18 == 31 else c18]


def make_uscc(prefix8: str, org8: str) -> str:
    """Build a fully valid USCC from positions 1-8 and the 8-character organisation code body."""
    body = prefix8 + org8 + org_check(org8)
    return body + uscc_check(body)


def resident_check(body17: str) -> str:
    """GB 11643 check character."""
    return "10X98765432"[
        sum(int(c) * w for c, w in zip(body17, RESIDENT_WEIGHTS, strict=True)) % 11
    ]


def make_resident_id(body17: str) -> str:
    return body17 + resident_check(body17)


# ---------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------

# Codes of the shape found on public registration records: enterprises (91...),
# a public institution (12...) and organisation codes ending in 'X' and in a digit.
PUBLISHED_USCCS = [
    "91350100M000100Y43",
    "91110000710926094P",
    "91330100799655058B",
    "9144030071526726XG",
    "91440300708461136T",
    "91110108551385082Q",
    "12100000400000624D",
]

# The worked example from GB 11643-1999 itself.
STANDARD_RESIDENT_ID = "11010519491231002X"

# Built with the helpers: a Nantong enterprise with an 'MA' code, a sole trader (92),
# a social organisation (51) and the catch-all registration authority 'Y'.
CONSTRUCTED_USCCS = [
    make_uscc("91320600", "MA1MXXXX"),
    make_uscc("92320602", "MA1N2P3Q"),
    make_uscc("51110000", "50000123"),
    make_uscc("Y1320600", "00000000"),
]

CONSTRUCTED_RESIDENT_IDS = [
    make_resident_id("32060219800101123"),
    make_resident_id("32060220000229004"),  # leap day
    make_resident_id("11010119000101001"),  # earliest accepted birth date
    make_resident_id("81000019991231003"),  # Hong Kong residence permit prefix
]


def test_oracle_reproduces_known_values() -> None:
    # Pin the oracles themselves to values worked out by hand / from the standards.
    assert uscc_check("91350100M000100Y4") == "3"
    assert org_check("M000100Y") == "4"
    assert org_check("71526726") == "X"
    assert resident_check("11010519491231002") == "X"
    assert make_uscc("91320600", "MA1MXXXX") == "91320600MA1MXXXX9Y"
    assert make_resident_id("32060219800101123") == "320602198001011235"


@pytest.mark.parametrize("code", PUBLISHED_USCCS + CONSTRUCTED_USCCS)
def test_valid_uscc(code: str) -> None:
    assert uscc_problem(code) is None
    assert uscc_is_valid(code)
    assert identifier_problem(code, kind="organisation") is None
    assert identifier_problem(code, kind="any") is None
    assert identifier_problem(code, kind="person") is not None


@pytest.mark.parametrize("code", [STANDARD_RESIDENT_ID, *CONSTRUCTED_RESIDENT_IDS])
def test_valid_resident_id(code: str) -> None:
    assert resident_id_problem(code) is None
    assert resident_id_is_valid(code)
    assert identifier_problem(code, kind="person") is None
    assert identifier_problem(code, kind="any") is None
    assert identifier_problem(code, kind="organisation") is not None


def test_uscc_check_char_zero_when_sum_divisible_by_31() -> None:
    # Body of all zeros: the sum is 0, 31 - 0 = 31, which maps to '0'.
    body = "00000000" + "00000000" + org_check("00000000")
    assert org_check("00000000") == "0"
    assert uscc_check(body) == "0"
    assert uscc_is_valid(body + "0")


# ---------------------------------------------------------------------------
# USCC error paths
# ---------------------------------------------------------------------------

VALID_USCC = PUBLISHED_USCCS[0]  # 91350100M000100Y43


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "is empty"),
        (VALID_USCC[:17], "must be 18 characters, got 17"),
        (VALID_USCC + "3", "must be 18 characters, got 19"),
        (" " + VALID_USCC, "has leading or trailing whitespace"),
        (VALID_USCC + "\n", "has leading or trailing whitespace"),
        ("91350100 M00100Y43", "contains whitespace at position 9"),
        ("9135I100M000100Y43", "character 'I' at position 5 is not allowed"),
        ("91350100M00O100Y43", "character 'O' at position 12 is not allowed"),
        ("Z1350100M000100Y43", "character 'Z' at position 1 is not allowed"),
        ("91350100M000100S43", "character 'S' at position 16 is not allowed"),
        ("91350100M000100V43", "character 'V' at position 16 is not allowed"),
        ("91350100M000100Y4-", "character '-' at position 18 is not allowed"),
        # Full-width digit: str.isdigit() would accept it.
        ("9135０100M000100Y43", "character '０' at position 5 is not allowed"),
        (
            "91350100m000100y43",
            "character 'm' at position 9 is lower case; codes are upper case, use 'M'",
        ),
        (
            "91350A00M000100Y43",
            "administrative division code '350A00' at positions 3-8 must be 6 digits",
        ),
        ("91350100M000100Y4Y", "check character should be '3', got 'Y'"),
        # A single typo in the organisation code breaks the overall check first.
        ("91350100M000200Y43", "check character should be"),
    ],
)
def test_uscc_problem_messages(code: str, message: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None
    assert problem.startswith(message)
    assert not uscc_is_valid(code)
    assert identifier_problem(code, kind="organisation") == problem


def test_uscc_whole_code_lowercase_is_rejected_with_message() -> None:
    assert uscc_problem(VALID_USCC.lower()) == (
        "character 'm' at position 9 is lower case; codes are upper case, use 'M'"
    )


def test_uscc_wrong_org_code_check_reported_when_overall_check_is_right() -> None:
    # Position 17 should be '4'; put '5' and recompute position 18 so only the
    # embedded GB 11714 check is wrong.
    body = "91350100M000100Y5"
    code = body + uscc_check(body)
    assert uscc_problem(code) == (
        "organisation code check character (position 17) should be '4', got '5'"
    )


def test_uscc_org_code_uses_full_alphabet_letter_values() -> None:
    # 'J' is value 18 in the USCC alphabet but 19 under GB 11714; the embedded
    # check must use 19, or codes containing letters after H would be rejected.
    code = make_uscc("91320600", "MA1JKLMN")
    assert uscc_is_valid(code)


# ---------------------------------------------------------------------------
# Resident ID error paths
# ---------------------------------------------------------------------------

VALID_RESIDENT_ID = CONSTRUCTED_RESIDENT_IDS[0]  # 320602198001011235


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "is empty"),
        ("32060219800101123", "must be 18 characters, got 17"),
        (VALID_RESIDENT_ID + "0", "must be 18 characters, got 19"),
        (
            "320602800101123",
            "must be 18 characters, got 15 (15-digit first-generation numbers are not accepted)",
        ),
        (VALID_RESIDENT_ID + " ", "has leading or trailing whitespace"),
        ("\t" + VALID_RESIDENT_ID, "has leading or trailing whitespace"),
        ("320602 19800101123", "contains whitespace at position 7"),
        (
            "3206021980O1011235",
            "character 'O' at position 11 is not allowed; positions 1-17 must be digits",
        ),
        (
            "3206X2198001011235",
            "character 'X' at position 5 is not allowed; positions 1-17 must be digits",
        ),
        (
            "11010519491231002x",
            "character 'x' at position 18 is lower case; codes are upper case, use 'X'",
        ),
        (
            "32060219800101123A",
            "character 'A' at position 18 is not allowed; the check character is a digit or 'X'",
        ),
        (
            make_resident_id("32060219990230123"),
            "birth date 19990230 (positions 7-14) is not a real date: 1999-02 has 28 days, not 30",
        ),
        (
            make_resident_id("32060220000230123"),
            "birth date 20000230 (positions 7-14) is not a real date: 2000-02 has 29 days, not 30",
        ),
        (
            # 1900 is not a leap year (divisible by 100, not by 400).
            make_resident_id("32060219000229123"),
            "birth date 19000229 (positions 7-14) is not a real date: 1900-02 has 28 days, not 29",
        ),
        (
            make_resident_id("32060219990431123"),
            "birth date 19990431 (positions 7-14) is not a real date: 1999-04 has 30 days, not 31",
        ),
        (
            make_resident_id("32060219990100123"),
            "birth date 19990100 (positions 7-14) is not a real date: 1999-01 has 31 days, not 00",
        ),
        (
            make_resident_id("32060219991301123"),
            "birth date 19991301 (positions 7-14) is not a real date: there is no month 13",
        ),
        (
            make_resident_id("32060219990001123"),
            "birth date 19990001 (positions 7-14) is not a real date: there is no month 00",
        ),
        (
            make_resident_id("32060218991231123"),
            "birth date 18991231 (positions 7-14) is before 1900-01-01",
        ),
        (
            make_resident_id("32060200000101123"),
            "birth date 00000101 (positions 7-14) is before 1900-01-01",
        ),
        # The second example of GB 11643-1999 (born 1880) has a correct check but
        # is refused by the 1900 floor.
        ("440524188001010014", "birth date 18800101 (positions 7-14) is before 1900-01-01"),
        ("320602198001011239", "check character should be '5', got '9'"),
        ("110105194912310020", "check character should be 'X', got '0'"),
    ],
)
def test_resident_id_problem_messages(code: str, message: str) -> None:
    assert resident_id_problem(code) == message
    assert not resident_id_is_valid(code)
    assert resident_id_birth_date(code) is None
    assert identifier_problem(code, kind="person") == message


def test_resident_id_birth_date() -> None:
    assert resident_id_birth_date(STANDARD_RESIDENT_ID) == date(1949, 12, 31)
    assert resident_id_birth_date(CONSTRUCTED_RESIDENT_IDS[1]) == date(2000, 2, 29)
    assert resident_id_birth_date(CONSTRUCTED_RESIDENT_IDS[2]) == date(1900, 1, 1)
    # A USCC is not a resident ID, so it has no birth date.
    assert resident_id_birth_date(VALID_USCC) is None


# ---------------------------------------------------------------------------
# identifier_problem(kind="any")
# ---------------------------------------------------------------------------


def test_any_reports_resident_reading_for_resident_shape() -> None:
    assert identifier_problem("320602198001011239", kind="any") == (
        "check character should be '5', got '9' (read as a resident ID number)"
    )


def test_any_reports_uscc_reading_when_birth_date_does_not_parse() -> None:
    # Digits-only but positions 7-14 are not a date: read as a USCC.
    code = "913206001234567890"
    problem = identifier_problem(code, kind="any")
    assert problem is not None
    assert problem.endswith("(read as a unified social credit code)")
    assert problem == f"{uscc_problem(code)} (read as a unified social credit code)"


def test_any_reports_uscc_reading_for_letters() -> None:
    assert identifier_problem("91350100M000100Y4Y", kind="any") == (
        "check character should be '3', got 'Y' (read as a unified social credit code)"
    )
    assert identifier_problem("", kind="any") == "is empty (read as a unified social credit code)"


def test_any_accepts_all_digit_uscc_whose_middle_looks_like_a_date() -> None:
    # Positions 7-14 read "19800101", so the shape says resident ID, but the code
    # is a valid USCC and "any" accepts whichever fits.
    code = make_uscc("91320619", "80010101")
    assert code == "913206198001010106"
    assert uscc_is_valid(code)
    assert resident_id_problem(code) == "check character should be '8', got '6'"
    assert identifier_problem(code, kind="any") is None


def test_unknown_kind_raises() -> None:
    with pytest.raises(ValueError, match="kind must be"):
        identifier_problem(VALID_USCC, kind="company")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "masked"),
    [
        ("91320600MA1MXXXXXX", "9132************XX"),
        ("320602198001011234", "3206************34"),
        ("1234567", "1234*67"),
        ("123456", "******"),
        ("12", "**"),
        ("", ""),
    ],
)
def test_mask_identifier(code: str, masked: str) -> None:
    assert mask_identifier(code) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("李", "*"),
        ("", ""),
    ],
)
def test_mask_person_name(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

DIGIT = st.sampled_from("0123456789")
USCC_CHAR = st.sampled_from(USCC_ALPHABET)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(DIGIT, min_size=n, max_size=n)


resident_bodies = st.builds(
    lambda region, born, seq: region + born.strftime("%Y%m%d") + seq,
    digits(6),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    digits(3),
)

uscc_bodies = st.builds(
    lambda head, division, org: head + division + org + org_check(org),
    st.text(USCC_CHAR, min_size=2, max_size=2),
    digits(6),
    st.text(USCC_CHAR, min_size=8, max_size=8),
)


@given(resident_bodies)
def test_resident_id_only_the_computed_check_is_valid(body: str) -> None:
    right = resident_check(body)
    assert resident_id_problem(body + right) is None
    assert resident_id_birth_date(body + right) is not None
    for wrong in "0123456789X":
        if wrong != right:
            assert resident_id_problem(body + wrong) == (
                f"check character should be {right!r}, got {wrong!r}"
            )


# Mix real dates (including around 1900 and leap days) with arbitrary digits,
# which are mostly not dates.
eight_digit_dates = st.one_of(
    st.dates(min_value=date(1890, 1, 1)).map(lambda d: d.strftime("%Y%m%d")),
    digits(8),
)


@given(eight_digit_dates)
def test_birth_date_rule_agrees_with_datetime(yyyymmdd: str) -> None:
    # Any 8 digits: the ID is valid exactly when datetime accepts the date and it
    # is not before 1900.
    try:
        born: date | None = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        born = None
    expected_valid = born is not None and born >= date(1900, 1, 1)
    code = make_resident_id("320602" + yyyymmdd + "123")
    assert resident_id_is_valid(code) == expected_valid
    assert resident_id_birth_date(code) == (born if expected_valid else None)


@given(uscc_bodies)
def test_uscc_only_the_computed_check_is_valid(body: str) -> None:
    right = uscc_check(body)
    assert uscc_problem(body + right) is None
    for wrong in USCC_ALPHABET:
        if wrong != right:
            assert uscc_problem(body + wrong) == (
                f"check character should be {right!r}, got {wrong!r}"
            )


@given(uscc_bodies, st.integers(min_value=0, max_value=16), USCC_CHAR)
def test_uscc_any_single_substitution_is_caught(body: str, index: int, new: str) -> None:
    # 31 is prime and no weight is 0 mod 31, so one changed character always
    # changes the check.
    code = body + uscc_check(body)
    changed = code[:index] + new + code[index + 1 :]
    assert uscc_is_valid(changed) == (changed == code)


@given(resident_bodies, st.integers(min_value=0, max_value=16), DIGIT)
def test_resident_id_any_single_substitution_is_caught(body: str, index: int, new: str) -> None:
    code = make_resident_id(body)
    changed = code[:index] + new + code[index + 1 :]
    assert resident_id_is_valid(changed) == (changed == code)


@given(st.text(max_size=40))
def test_mask_identifier_keeps_length_and_ends(code: str) -> None:
    masked = mask_identifier(code)
    assert len(masked) == len(code)
    if len(code) > 6:
        assert masked[:4] == code[:4]
        assert masked[-2:] == code[-2:]
        assert set(masked[4:-2]) == {"*"}
    else:
        assert set(masked) <= {"*"}


@given(st.text(max_size=200))
def test_problem_functions_never_raise(code: str) -> None:
    # Whatever is typed, the answer is a message or None, never an exception.
    kinds: tuple[IdentifierKind, ...] = ("organisation", "person", "any")
    for kind in kinds:
        result = identifier_problem(code, kind=kind)
        assert result is None or isinstance(result, str)
