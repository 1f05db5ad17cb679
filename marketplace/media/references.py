"""Which stored files rows refer to, asked of every feature that keeps files, so that pruning the files nothing
refers to imports no feature's models.

A feature registers a function returning the keys its rows hold: a content hash (`<hash>`: every rendition of
that picture, the original waiting for its job included) or a whole stored name (`documents/<hash>.pdf`).
"""

from collections.abc import Callable, Iterable

_SOURCES: list[Callable[[], Iterable[str]]] = []


def refers_to_files(source: Callable[[], Iterable[str]]) -> Callable[[], Iterable[str]]:
    """Register source (a decorator): it returns the keys of the files the feature's rows refer to."""
    _SOURCES.append(source)
    return source


def referenced_keys() -> set[str]:
    """Every key some row refers to now."""
    return {key for source in _SOURCES for key in source()}


def hash_of(name: str) -> str:
    """The content hash in a stored name: '<hash>-800.webp', 'originals/<hash>', 'documents/<hash>.pdf'."""
    return name.rsplit("/", 1)[-1].split("-", 1)[0].split(".", 1)[0]


def is_referenced(name: str, keys: set[str]) -> bool:
    """True when a row refers to the stored file name (by its whole name or by its content hash)."""
    if name.startswith("documents/"):
        return name in keys
    return hash_of(name) in keys
