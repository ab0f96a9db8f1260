"""Code format: the check symbol catches single typos and swaps; input is read forgivingly."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st

from kado.domain.errors import DomainError, ErrorCode
from kado.domain.vouchers import codes
from kado.domain.vouchers.code_sealing import CodeKeys

data = st.text(alphabet=codes.SYMBOLS, min_size=16, max_size=16)


def _code(symbols: str) -> str:
    return symbols + codes.check_symbol(symbols)


def _refused(typed: str) -> bool:
    try:
        codes.read(typed)
    except DomainError as error:
        assert error.code is ErrorCode.INVALID_CODE
        return True
    return False


@given(data, st.integers(0, 16), st.sampled_from(codes.CHECK_SYMBOLS))
def test_every_single_symbol_substitution_is_caught(symbols, position, replacement):
    code = _code(symbols)
    typo = code[:position] + replacement + code[position + 1:]
    if typo != code:
        assert _refused(typo)


@given(data, st.integers(0, 15))
def test_every_adjacent_transposition_is_caught(symbols, position):
    code = _code(symbols)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    if swapped != code:
        assert _refused(swapped)


@given(data)
def test_normalisation_round_trips_what_people_and_scanners_send(symbols):
    code = _code(symbols)
    for typed in (code, codes.formatted(code), codes.formatted(code).lower(),
                  " ".join(codes.formatted(code).split("-")), codes.qr_payload(code),
                  code.replace("0", "O").replace("1", "I").lower().replace("i", "l")):
        assert codes.read(typed) == code


def test_generated_codes_are_long_random_and_valid():
    made = {codes.generate() for _ in range(2000)}
    assert len(made) == 2000
    for code in made:
        assert len(code) == 17 and codes.read(code) == code
    assert codes.BITS == 80
    assert len(codes.formatted(next(iter(made))).split("-")) == 5


@pytest.mark.parametrize("typed", ["", "   ", "a", "!!!!", "x" * 300, "ÄÖÜß-1234"])
def test_garbage_is_invalid_code(typed):
    assert _refused(typed)


def test_lookup_is_per_program_and_sealing_is_bound_to_the_voucher():
    keys = CodeKeys("k" * 40)
    code = codes.generate()
    assert keys.lookup("p1", code) != keys.lookup("p2", code)
    assert keys.lookup("p1", code) == CodeKeys("k" * 40).lookup("p1", code)
    assert keys.lookup("p1", code) != CodeKeys("j" * 40).lookup("p1", code)
    sealed = keys.seal("p1", "v1", code)
    assert code not in sealed and keys.open("p1", "v1", sealed) == code
    assert keys.seal("p1", "v1", code) != sealed  # a fresh nonce every time
    with pytest.raises(InvalidTag):  # copied onto another voucher, it does not open
        keys.open("p1", "v2", sealed)
    with pytest.raises(ValueError, match="at least"):
        CodeKeys("short")
