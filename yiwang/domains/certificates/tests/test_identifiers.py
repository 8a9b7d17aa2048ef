"""GB/T 36904 identifiers and their ISO 7064 MOD 37,36 check character (R7.1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.domains.certificates import identifiers

EXAMPLE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"
ALNUM = identifiers.ALPHABET


def test_the_standards_example_checks():
    """R7.1: the example of STANDARDS.md gets the check character U."""
    assert identifiers.check_char("11100000000013338W01111430000006122244L20230000403001") == "U"
    assert (
        identifiers.build("11100000000013338W011", "11430000006122244L", "20230000403", 1)
        == EXAMPLE
    )
    parsed = identifiers.parse(EXAMPLE)
    assert parsed.type_code == "11100000000013338W011"
    assert parsed.issuer_code == "11430000006122244L"
    assert parsed.serial == "20230000403"
    assert parsed.version == "001"
    assert str(parsed) == EXAMPLE
    assert identifiers.identifier_error(EXAMPLE) is None
    assert identifiers.identifier_error(EXAMPLE.lower()) is None  # typed in lower case


@pytest.mark.parametrize(
    "bad, reason",
    [
        (EXAMPLE[:-1] + "V", "校验位不正确"),
        ("1.2.156.3005.1.11100000000013338W011.11430000006122244L.20230000403.001.U", "开头"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.001.U", "五段"),
        ("1.2.156.3005.2.11100000000013338W0X1.11430000006122244L.20230000403.001.U", "类型代码"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U", "版本号"),
        ("", "开头"),
    ],
)
def test_malformed_identifiers_name_their_problem(bad, reason):
    assert reason in (identifiers.identifier_error(bad) or "")


def _identifier_parts():
    return st.tuples(
        st.text(ALNUM, min_size=18, max_size=18),
        st.text("0123456789", min_size=3, max_size=3),
        st.text(ALNUM, min_size=18, max_size=18),
        st.text(ALNUM, min_size=1, max_size=16),
        st.integers(min_value=1, max_value=999),
    )


@given(_identifier_parts(), st.data())
def test_any_single_character_change_is_detected(parts, data):
    """R7.1: replacing any one character of the payload or the check
    character by another allowed one makes the identifier fail."""
    definer, suffix, issuer, serial, version = parts
    ident = identifiers.build(definer + suffix, issuer, serial, version)
    assert identifiers.identifier_error(ident) is None
    positions = [i for i, ch in enumerate(ident) if ch != "." and i >= len(identifiers.PREFIX) + 1]
    at = data.draw(st.sampled_from(positions))
    allowed = "0123456789" if ident[at].isdigit() and _in_digit_field(ident, at) else ALNUM
    other = data.draw(st.sampled_from([c for c in allowed if c != ident[at]]))
    changed = ident[:at] + other + ident[at + 1 :]
    assert identifiers.identifier_error(changed) is not None


def _in_digit_field(ident: str, at: int) -> bool:
    """The type code's 3-digit suffix and the version only allow digits."""
    fields = ident[len(identifiers.PREFIX) + 1 :].split(".")
    start = len(identifiers.PREFIX) + 1
    for n, text in enumerate(fields):
        if start <= at < start + len(text):
            offset = at - start
            return (n == 0 and offset >= 18) or n == 3
        start += len(text) + 1
    return False
