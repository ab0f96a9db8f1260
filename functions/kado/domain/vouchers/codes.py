"""Voucher codes: what they look like, how typed input is read, and the check symbol.

A generated code is 16 Crockford Base32 symbols (80 bits from `secrets`) and one
check symbol, the 80-bit value mod 37 in Crockford's check alphabet. 37 is prime
and larger than the 32 symbol values, so a change to any one symbol, or a swap
of two neighbours, always changes the value mod 37: a mistyped code is caught
before it costs a database lookup or counts as a guess.

Partner pool codes have their own format and no check symbol; they only share
the normalisation, so a code typed in lower case or with spaces still matches.
"""

from __future__ import annotations

import re
import secrets

from kado.domain.errors import DomainError, ErrorCode

SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = SYMBOLS + "*~$=U"
DATA_LENGTH = 16
CODE_LENGTH = DATA_LENGTH + 1
GROUP = 4
BITS = DATA_LENGTH * 5
# What a QR scan hands the till: a prefix that says what follows, then the code.
QR_PREFIX = "KADO1:"
POOL_CODE = re.compile(r"[0-9A-Z]{4,64}")  # matched whole (fullmatch)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALUE = {s: i for i, s in enumerate(SYMBOLS)}
_SEPARATORS = re.compile(r"[\s\-]+")
MAX_INPUT = 200


def check_symbol(data: str) -> str:
    return CHECK_SYMBOLS[_value(data) % 37]


def _value(data: str) -> int:
    value = 0
    for symbol in data:
        value = value * 32 + _VALUE[symbol]
    return value


def generate() -> str:
    """A new normalised code: 16 random symbols and their check symbol."""
    number = secrets.randbits(BITS)
    data = "".join(SYMBOLS[(number >> shift) & 31] for shift in range(BITS - 5, -1, -5))
    return data + check_symbol(data)


def normalise(typed: str) -> str:
    """Upper case, no spaces or dashes, O read as 0 and I/L as 1; a QR prefix is dropped."""
    text = typed.strip()
    if text.upper().startswith(QR_PREFIX):
        text = text[len(QR_PREFIX):]
    return _SEPARATORS.sub("", text).upper().translate(_READ_AS)


def is_valid_generated(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(s in _VALUE for s in code[:-1]) \
        and check_symbol(code[:-1]) == code[-1]


def read(typed: str) -> str:
    """The normalised code a till typed or scanned, or INVALID_CODE without any I/O.

    Seventeen symbols is the length of our own codes and no pool code may have
    it, so any 17-symbol input must pass the check symbol.
    """
    if len(typed) > MAX_INPUT:
        raise DomainError(ErrorCode.INVALID_CODE, "this is not a voucher code", "code")
    code = normalise(typed)
    if len(code) == CODE_LENGTH:
        if not is_valid_generated(code):
            raise DomainError(ErrorCode.INVALID_CODE,
                              "this code has a typo: its check symbol does not match", "code")
        return code
    if not POOL_CODE.fullmatch(code):
        raise DomainError(ErrorCode.INVALID_CODE, "this is not a voucher code", "code")
    return code


def pool_code_problem(code: str) -> str | None:
    """Why a partner-supplied code cannot go into a pool (after normalisation), if it can't."""
    if not POOL_CODE.fullmatch(code):
        return "must be 4-64 letters and digits (spaces and dashes are ignored)"
    if len(code) == CODE_LENGTH:
        return f"{CODE_LENGTH} symbols is the length of Kado's own codes; pad or trim it"
    return None


def formatted(code: str) -> str:
    """Our codes in groups of four for people (7KQ2-M9XD-4R1T-ZB8W-J); a partner's code
    exactly as the partner supplied it, so the partner's own system finds it."""
    if not is_valid_generated(code):
        return code
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def qr_payload(code: str) -> str:
    return QR_PREFIX + code
