"""The password policy, one for every place a password is chosen: the forms (sign-up, change, reset, an admin's staff
form), the CLI and the services behind them.

- Length: at least 12 characters for staff (STAFF_ROLES), 10 for owners and buyers; at most 128. Any character counts
  (spaces, any Unicode): nothing is required or forbidden, so a few words make a good password (NIST 800-63B 5.1.1,
  ASVS 2.1.1-2.1.9).
- Refused when it is a common or leaked password: zxcvbn's offline frequency lists (30,000 passwords from leaks, plus
  words, names and keyboard patterns) with the account's own email and name. A password is refused when the whole of
  it, lower-cased, is on the password list, or when zxcvbn's score is below 3 (fewer than 10^8 guesses: a dictionary
  word with digits, a keyboard row, a repeated or sequential run, a date).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import STAFF_ROLES, Role
from marketplace.domain import DomainError

MIN_LENGTH = 10
MIN_LENGTH_STAFF = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable" (10^8 guesses and more); 0-2 are guessed by any cracking list
# zxcvbn's time grows with the square of the length (128 repeated characters: 0.4 s): it judges the first 72
# characters, its own limit, which is plenty to tell a predictable password (below 0.1 s in the worst case).
CHECKED_LENGTH = 72
SITE_WORDS = ("etalase", "umkm", "etalase umkm")

# zxcvbn keeps the user inputs of a check in a module-wide dictionary: one check at a time per process.
_zxcvbn_lock = threading.Lock()


class WeakPassword(DomainError):
    """The password breaks the policy; the message says why and what to do."""

    status = 422
    message = _l("Choose a stronger password.")


def min_length(role: Role) -> int:
    """The shortest password the policy allows for an account of this role."""
    return MIN_LENGTH_STAFF if role in STAFF_ROLES else MIN_LENGTH


def password_problem(password: str, role: Role, user_inputs: Iterable[str] = ()):
    """Why password is refused for an account of role (a lazy message), or None when it is good enough.

    user_inputs: the account's email and name, which make a password easy to guess for anyone who knows them."""
    shortest = min_length(role)
    if len(password) < shortest:
        return _l("The password must be at least %(n)d characters long. A few words with spaces between them are "
                  "long enough and easy to remember.", n=shortest)
    if len(password) > MAX_LENGTH:
        return _l("The password can be at most %(n)d characters long.", n=MAX_LENGTH)
    from zxcvbn import zxcvbn  # imported when first needed: its lists take 15 MB in every worker (docs/PERFORMANCE.md)
    from zxcvbn.matching import RANKED_DICTIONARIES

    if password.lower() in RANKED_DICTIONARIES["passwords"]:
        return _l("This password is on a list of common and leaked passwords that attackers try first. Choose "
                  "another one, for example a few words that do not belong together.")
    inputs = [*SITE_WORDS, *_words_of(user_inputs)]
    with _zxcvbn_lock:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        return _l("This password is easy to guess for anyone who knows your name or email address. Choose one "
                  "without them, for example a few words that do not belong together.")
    return _l("This password is too easy to guess: it is built from a common word, name, date, keyboard row, "
              "sequence or repetition. Make it longer and less predictable, for example a few words that do not "
              "belong together.")


def check_password(password: str, role: Role, user_inputs: Iterable[str] = ()) -> None:
    """Refuse (WeakPassword, with the reason) a password the policy does not allow for role."""
    problem = password_problem(password, role, user_inputs)
    if problem is not None:
        raise WeakPassword(problem)


def _words_of(values: Iterable[str]) -> list[str]:
    """An email and a name, and their parts: "siti.aminah@contoh.id" also gives "siti.aminah", "siti", "aminah"."""
    words = []
    for value in values:
        value = (value or "").strip().lower()
        if not value:
            continue
        local = value.split("@")[0]
        words += [value, local, *local.replace(".", " ").replace("_", " ").replace("-", " ").split()]
    return [word for word in dict.fromkeys(words) if len(word) >= 3]
