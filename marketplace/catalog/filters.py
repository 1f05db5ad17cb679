"""The catalogue's query string as filters: read leniently (a malformed value is no filter, never an error) and
written back as query arguments for links that keep the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from werkzeug.datastructures import MultiDict

from marketplace.certifications.models import CertType

PAGE_SIZE = 24
MAX_PAGE = 500
SORTS = ("relevance", "newest", "price_asc", "price_desc")
ATTR_ARG = re.compile(r"^attr\.([a-z][a-z0-9_]{0,39})$")  # attr.<code>=<option code>: a facet within a category
MAX_ATTR_FILTERS = 10


def _int(value: str | None, low: int = 0, high: int = 10**12) -> int | None:
    """A lenient int from a query argument: anything unusable is simply no filter, and a huge number is the highest."""
    digits = (value or "").replace(".", "").strip()
    if not digits.isascii() or not digits.isdigit():  # "²" is a digit to isdigit() but not to int()
        return None
    digits = digits.lstrip("0") or "0"
    return high if len(digits) > len(str(high)) else max(low, min(int(digits), high))


@dataclass(frozen=True)
class Filters:
    q: str = ""
    region: str = ""
    category: str = ""
    cert: str = ""
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "newest"
    page: int = 1
    # (attribute code, option code) pairs, sorted: facets within the chosen category, only with a category
    attrs: tuple[tuple[str, str], ...] = ()
    # the same resolved by browse() against the category's attributes: (attribute id, option id); not a query argument
    attr_ids: tuple[tuple[int, int], ...] = ()

    @classmethod
    def from_args(cls, args: MultiDict) -> Filters:
        """Read the catalogue's query string; unknown or malformed values are ignored, never an error."""
        q = " ".join((args.get("q") or "").split())[:1000]
        sort = args.get("sort") if args.get("sort") in SORTS else ("relevance" if q else "newest")
        cert = args.get("cert") if args.get("cert") in {t.value for t in CertType} else ""
        category = (args.get("category") or "")[:80]
        attrs = {}
        for key in list(args.keys())[:100]:
            code = ATTR_ARG.match(key)
            value = (args.get(key) or "").strip()[:40]
            if code and value and category and len(attrs) < MAX_ATTR_FILTERS:
                attrs[code.group(1)] = value
        return cls(
            q=q, region=(args.get("region") or "")[:5], category=category, cert=cert,
            min_price=_int(args.get("min_price")), max_price=_int(args.get("max_price")), sort=sort,
            page=_int(args.get("page"), 1, MAX_PAGE) or 1, attrs=tuple(sorted(attrs.items())),
        )

    def args(self, **changes) -> dict:
        """The query arguments of these filters with some changed (None removes one): for links that keep the rest."""
        values = {**self.__dict__, **changes}
        attrs = () if "category" in changes and changes["category"] != self.category else values.pop("attrs")
        values.pop("attrs", None)
        values.pop("attr_ids")
        default_sort = "relevance" if values["q"] else "newest"
        out = {k: v for k, v in values.items()
               if v not in (None, "") and not (k == "page" and v == 1) and not (k == "sort" and v == default_sort)}
        return out | {f"attr.{code}": option for code, option in attrs}

    def with_attr(self, code: str, option: str | None) -> dict:
        """The query arguments with one attribute facet set to option (None removes it), back on the first page."""
        attrs = dict(self.attrs)
        if option is None:
            attrs.pop(code, None)
        else:
            attrs[code] = option
        return replace(self, attrs=tuple(sorted(attrs.items())), page=1).args()

    @property
    def active(self) -> bool:
        return bool(self.q or self.region or self.category or self.cert or self.min_price is not None
                    or self.max_price is not None or self.attrs)
