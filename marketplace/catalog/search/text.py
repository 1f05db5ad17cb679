"""Text processing shared by both backends: words, stop words, Indonesian stems, pg_trgm-style trigram similarity.

Everything here is pure Python, so that SQLite and PostgreSQL index and query the very same words.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from fractions import Fraction
from functools import cache
from pathlib import Path

import Stemmer

# Letters and digits only: underscores, punctuation, emoji and control characters separate words. Nothing
# a user types can therefore reach FTS5 or tsquery syntax: every term is a plain run of letters and digits.
WORD = re.compile(r"[^\W_]+")
# PostgreSQL refuses to index words over 2,047 bytes; real product words are far shorter, so drop long junk early.
MAX_WORD_LENGTH = 40
# Bound the work one query can cause: characters read, and terms searched (each unknown one costs a typo lookup).
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 8
# pg_trgm's default `pg_trgm.similarity_threshold`: both backends correct a typo only at or above it.
SIMILARITY_THRESHOLD = Fraction(3, 10)
# Words shorter than this are not typo-corrected: one changed letter leaves too little to be sure.
MIN_CORRECTABLE_LENGTH = 3


@cache
def stop_words() -> frozenset[str]:
    """The Indonesian (and a few English) stop words shipped in stopwords-id.txt."""
    lines = (Path(__file__).with_name("stopwords-id.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer's stemmers are not thread-safe (threaded servers share this module): one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("indonesian")
    return stemmer


def words(text: str | None) -> list[str]:
    """Lower-case words of text, without stop words and over-long tokens, in order."""
    if not text:
        return []
    normalised = unicodedata.normalize("NFKC", text).lower()
    stop = stop_words()
    return [w for w in WORD.findall(normalised) if len(w) <= MAX_WORD_LENGTH and w not in stop]


def stem(word: str) -> str:
    """The Snowball Indonesian stem, like PostgreSQL's `indonesian` config: words with digits stay as they are
    (PostgreSQL's parser calls them numword/int and maps them to the `simple` dictionary)."""
    return _stemmer().stemWord(word) if word.isalpha() else word


def stems(text: str | None) -> list[str]:
    """The stems of text's words, in order (repeats kept: they count for ranking)."""
    return [stem(w) for w in words(text)]


def query_terms(q: str | None) -> list[str]:
    """The distinct stems a query searches for, in order, before typo correction; at most MAX_QUERY_TERMS."""
    return list(dict.fromkeys(stems((q or "")[:MAX_QUERY_CHARS])))[:MAX_QUERY_TERMS]


def is_correctable(term: str) -> bool:
    """Only words of letters are corrected: numbers and short words are searched as typed."""
    return term.isalpha() and len(term) >= MIN_CORRECTABLE_LENGTH


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {word} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> Fraction:
    """pg_trgm's `similarity(a, b)` for single words: shared trigrams over all distinct trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    return similarity_of_counts(len(ta & tb), len(ta), len(tb))


def similarity_of_counts(shared: int, size_a: int, size_b: int) -> Fraction:
    """pg_trgm's similarity from trigram counts: shared over the union (exact, so ties compare equal)."""
    return Fraction(shared, size_a + size_b - shared)
