"""Check digits of resident IDs and unified social credit codes (R2.3) and
division codes (R1.3)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from yiwang.core.checkdigits import (
    CREDIT_ALPHABET,
    CREDIT_AUTHORITY_TYPES,
    credit_code_check_char,
    credit_code_error,
    division_code_error,
    division_level_of,
    is_valid_credit_code,
    is_valid_resident_id,
    make_credit_code,
    make_resident_id,
    resident_id_check_char,
    resident_id_error,
)

# GB 11643-1999's own worked example.
STANDARD_ID = "11010519491231002X"


def test_resident_id_standard_example_is_valid():
    """R2.3: the example of GB 11643 passes, with upper or lower case x."""
    assert resident_id_error(STANDARD_ID) is None
    assert resident_id_error(STANDARD_ID.lower()) is None
    assert resident_id_error(f"  {STANDARD_ID}  ") is None


def test_resident_id_wrong_check_digit():
    """R2.3: a wrong check character is refused with a Chinese reason."""
    assert resident_id_error("110105194912310021") == "公民身份号码校验码错误"


def test_resident_id_bad_birth_date():
    """R2.3: 1949-02-30 does not exist, nor does a birth date in the future."""
    first17 = "11010519490230002"
    bad = first17 + resident_id_check_char(first17)
    assert resident_id_error(bad) == "公民身份号码中的出生日期无效"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    future = make_resident_id("110105", tomorrow, 2)
    assert resident_id_error(future) == "公民身份号码中的出生日期无效"
    before_1900 = make_resident_id("110105", dt.date(1899, 12, 31), 2)
    assert resident_id_error(before_1900) == "公民身份号码中的出生日期无效"


def test_resident_id_shape():
    """R2.3: length and characters are checked before the digit."""
    for value in ("", "1101051949123100", "11010519491231002Y", "1101051949123100X2"):
        assert resident_id_error(value) == "公民身份号码应为18位，前17位为数字，最后一位为数字或X"


def test_credit_code_standard_examples_are_valid():
    """R2.3: the codes quoted in STANDARDS.md (GB/T 36904 example) pass GB 32100."""
    for code in ("11430000006122244L", "11100000000013338W", "11370800MB28559184"):
        assert credit_code_error(code) is None, code
    assert credit_code_check_char("11430000006122244") == "L"
    assert credit_code_check_char("11100000000013338") == "W"


def test_credit_code_lower_case_is_normalised():
    assert is_valid_credit_code("11100000000013338w")


def test_credit_code_wrong_check():
    """R2.3: a wrong check character is refused."""
    assert credit_code_error("11100000000013338X") == "统一社会信用代码校验码错误"


def test_credit_code_forbidden_letters():
    """R2.3: I, O, S, V and Z are not in the GB 32100 alphabet, wherever they stand."""
    valid = "11100000000013338W"
    for letter in "IOSVZ":
        for position in (2, 10, 17):
            code = valid[:position] + letter + valid[position + 1 :]
            assert (
                credit_code_error(code) == "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z）"
            ), code


def test_credit_code_structure():
    """R2.3: length, registration authority and body type are checked."""
    assert credit_code_error("1110000000001333") == "统一社会信用代码应为18位"
    first = "B1100000000013338"
    assert (
        credit_code_error(first + credit_code_check_char(first))
        == "统一社会信用代码的登记管理部门代码无效"
    )
    body = "1410000000001333A"
    assert (
        credit_code_error(body + credit_code_check_char(body))
        == "统一社会信用代码的机构类别代码无效"
    )
    division = "11A000000000133380"[:17]
    assert (
        credit_code_error(division + credit_code_check_char(division))
        == "统一社会信用代码中的登记管理机关行政区划码无效"
    )


authority_and_type = st.sampled_from(
    [(a, t) for a, types in CREDIT_AUTHORITY_TYPES.items() for t in types]
)
digits6 = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())


@given(pair=authority_and_type, division=digits6, serial=st.integers(0, 10**9))
def test_make_credit_code_is_always_valid(pair, division, serial):
    """R2.3: every code the demo generator builds passes the validator."""
    assert credit_code_error(make_credit_code(pair[0], pair[1], division, serial)) is None


@given(address=digits6, born=births, sequence=st.integers(0, 10**6))
def test_make_resident_id_is_always_valid(address, born, sequence):
    """R2.3: every resident ID the demo generator builds passes the validator."""
    assert resident_id_error(make_resident_id(address, born, sequence)) is None


@given(
    address=digits6,
    born=births,
    sequence=st.integers(0, 999),
    position=st.integers(0, 17),
    data=st.data(),
)
def test_one_changed_character_of_a_resident_id_is_caught(address, born, sequence, position, data):
    """R2.3: the weights are non-zero modulo the prime 11, so changing any one
    character to another allowed character always breaks the check (or the date)."""
    code = make_resident_id(address, born, sequence)
    allowed = "0123456789X" if position == 17 else "0123456789"
    new = data.draw(st.sampled_from([c for c in allowed if c != code[position]]))
    changed = code[:position] + new + code[position + 1 :]
    assert not is_valid_resident_id(changed)


@given(
    pair=authority_and_type,
    division=digits6,
    serial=st.integers(0, 10**8),
    position=st.integers(0, 17),
    data=st.data(),
)
def test_one_changed_character_of_a_credit_code_is_caught(pair, division, serial, position, data):
    """R2.3: the weights are non-zero modulo the prime 31 and the alphabet has 31
    symbols, so any single substitution (inside or outside the alphabet) is caught."""
    code = make_credit_code(pair[0], pair[1], division, serial)
    new = data.draw(st.sampled_from([c for c in CREDIT_ALPHABET + "IOSVZ" if c != code[position]]))
    changed = code[:position] + new + code[position + 1 :]
    assert not is_valid_credit_code(changed)


def test_division_levels():
    """R1.3: the shape of a GB/T 2260 code (and its 12-digit extension) gives its level."""
    assert division_level_of("320000") == "province"
    assert division_level_of("320200") == "city"
    assert division_level_of("320214") == "county"
    assert division_level_of("320214000000") == "county"
    assert division_level_of("320214001000") == "town"
    assert division_level_of("320214001001") == "village"
    for bad in ("", "32020", "3202000", "000000", "100000", "32a200", "3202140010"):
        assert division_level_of(bad) is None, bad
    assert division_code_error("320200") is None
    assert division_code_error("320200", "county") == "行政区划代码 320200 与层级不符"
    assert division_code_error("12") is not None
