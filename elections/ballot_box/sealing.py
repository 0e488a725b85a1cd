"""Sealed ballots: the poll's key pair, sealing and opening ballots, and scrutineer codes.

While a poll is open, a ballot (choices and receipt) is stored only as a libsodium sealed box
(PyNaCl's SealedBox: X25519 + XSalsa20-Poly1305) to the poll's public key, padded to one size
for the whole poll so that the length of a box says nothing about what it holds. The
private key is made when the poll opens and is never written in the clear:

- either it is wrapped (SecretBox) with a key derived from the BALLOT_KEY environment
  variable, which the database never holds;
- or it is split k of n with Shamir's scheme over GF(256) into scrutineer codes (监票人),
  shown once and stored nowhere; k of them open the box at the count.

At the close the private key exists in memory only, and the wrapped copy is erased.
"""

import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

BALLOT_KEY_MIN_LENGTH = 32
# The development default of settings.BALLOT_KEY: refused by `check --deploy`.
DEVELOPMENT_BALLOT_KEY = "development-only-ballot-key-never-use-in-production"
RECEIPT_SLOT = "XXXX-XXXX-XXXX"
PAD_STEP = 64


def ballot_key_problem(value):
    """Why `value` cannot serve as BALLOT_KEY, or None."""
    if not value:
        return "BALLOT_KEY is not set."
    if len(value) < BALLOT_KEY_MIN_LENGTH:
        return f"BALLOT_KEY must be at least {BALLOT_KEY_MIN_LENGTH} characters long."
    if value == DEVELOPMENT_BALLOT_KEY:
        return "BALLOT_KEY is the development default."
    return None


def _wrapping_box():
    value = getattr(settings, "BALLOT_KEY", "")
    if not value or len(value) < BALLOT_KEY_MIN_LENGTH:
        # A server set up without it: the secretariat is told, nothing is changed.
        raise ValidationError(
            _(
                "This server has no ballot key (BALLOT_KEY), so online polls can be neither "
                "opened nor counted. Please ask the server's administrator to set it."
            ),
            code="no_ballot_key",
        )
    key = blake2b(
        value.encode(), digest_size=SecretBox.KEY_SIZE, person=b"poll-key-wrap", encoder=RawEncoder
    )
    return SecretBox(key)


def new_key_pair():
    return PrivateKey.generate()


def private_key(raw):
    return PrivateKey(raw)


def wrap(private_key):
    """The private key sealed with BALLOT_KEY, for the poll's row."""
    return bytes(_wrapping_box().encrypt(bytes(private_key)))


def unwrap(wrapped):
    try:
        return PrivateKey(_wrapping_box().decrypt(bytes(wrapped)))
    except CryptoError:
        raise ValidationError(
            _(
                "The ballot key of this server is not the one in force when the poll opened, "
                "so its ballots cannot be opened. Restore the previous BALLOT_KEY and close "
                "the poll again."
            ),
            code="wrong_ballot_key",
        ) from None


def padded_size(longest_choices):
    """The plaintext size of every box of a poll: its longest possible ballot, rounded up."""
    size = len(_plaintext(longest_choices, RECEIPT_SLOT))
    return -(-size // PAD_STEP) * PAD_STEP


def _plaintext(choices, receipt):
    data = {"c": choices, "r": receipt}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(public_key, choices, receipt, *, size):
    """A sealed box of the ballot, padded with spaces (JSON ignores them) to `size` bytes,
    or to the next multiple of `size` should a ballot ever be longer."""
    plaintext = _plaintext(choices, receipt)
    target = max(size, PAD_STEP)
    target = -(-len(plaintext) // target) * target
    plaintext += b" " * (target - len(plaintext))
    return bytes(SealedBox(PublicKey(bytes(public_key))).encrypt(plaintext))


def opener(private_key):
    """A function from a sealed box to (receipt, choices)."""
    box = SealedBox(private_key)

    def open_box(sealed):
        data = json.loads(box.decrypt(bytes(sealed)))
        return data["r"], data["c"]

    return open_box


def matches(private_key, public_key):
    return bytes(private_key.public_key) == bytes(public_key)


# Shamir's secret sharing over GF(256) (the AES field, x^8 + x^4 + x^3 + x + 1), byte by byte.

_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value ^= (_value << 1) ^ (0x11B if _value & 0x80 else 0)  # multiply by the generator 3
    _value &= 0xFF
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


def _mul(a, b):
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _div(a, b):
    if a == 0:
        return 0
    return _EXP[(_LOG[a] - _LOG[b]) % 255]


def split(secret, *, quorum, count):
    """`count` shares (x, bytes) of `secret`, any `quorum` of which rebuild it."""
    if not 2 <= quorum <= count <= 20:
        raise ValueError("scrutineers: 2 ≤ quorum ≤ count ≤ 20")
    coefficients = [[byte] + [secrets.randbelow(256) for _ in range(quorum - 1)] for byte in secret]
    shares = []
    for x in range(1, count + 1):
        share = bytearray()
        for poly in coefficients:
            value = 0
            for coefficient in reversed(poly):  # Horner
                value = _mul(value, x) ^ coefficient
            share.append(value)
        shares.append((x, bytes(share)))
    return shares


def combine(shares):
    """The secret from (x, bytes) shares (Lagrange interpolation at 0)."""
    xs = [x for x, _share in shares]
    if len(set(xs)) != len(xs):
        raise ValueError("the same share twice")
    secret = bytearray(len(shares[0][1]))
    for i, (xi, share) in enumerate(shares):
        weight = 1
        for j, xj in enumerate(xs):
            if i != j:
                weight = _mul(weight, _div(xj, xj ^ xi))
        for position, byte in enumerate(share):
            secret[position] ^= _mul(byte, weight)
    return bytes(secret)


# Scrutineer codes: share number, the share and a check, in the receipts' 32 letters.

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CHECK_BYTES = 3


def _check(poll_pk, x, share):
    data = poll_pk.to_bytes(8, "big") + bytes([x]) + share
    return blake2b(data, digest_size=CHECK_BYTES, person=b"scrutineer-code", encoder=RawEncoder)


def share_code(poll_pk, x, share):
    """A printable code such as 3K7Q-…: the share, its number and a check that catches a
    typing mistake or a code of another poll."""
    raw = bytes([x]) + share + _check(poll_pk, x, share)
    number = int.from_bytes(raw, "big")
    length = -(-len(raw) * 8 // 5)
    symbols = []
    for _position in range(length):
        number, digit = divmod(number, 32)
        symbols.append(CODE_ALPHABET[digit])
    text = "".join(reversed(symbols))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def read_share_code(poll_pk, text, *, share_length=32):
    """(x, share) from a typed code; ValidationError when it is mistyped or of another poll."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -\t\r\n")
    raw_length = 1 + share_length + CHECK_BYTES
    if len(cleaned) != -(-raw_length * 8 // 5) or any(ch not in CODE_ALPHABET for ch in cleaned):
        raise ValidationError(
            _("This scrutineer code is incomplete or has a character that no code uses."),
            code="bad_code",
        )
    number = 0
    for ch in cleaned:
        number = number * 32 + CODE_ALPHABET.index(ch)
    try:
        raw = number.to_bytes(raw_length, "big")
    except OverflowError:
        raw = b""
    x, share, check = raw[:1], raw[1:-CHECK_BYTES], raw[-CHECK_BYTES:]
    if not raw or _check(poll_pk, x[0], share) != check or x[0] == 0:
        raise ValidationError(
            _("This scrutineer code is mistyped or belongs to another poll."), code="bad_code"
        )
    return x[0], share
