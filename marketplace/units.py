"""Labels of the units a product is sold in. Products store a code (`catalog.models.UNITS`, Indonesian words such as
`lembar`); pages, forms, mails and the WhatsApp hand-off show the label in the reader's language, plural when the
count asks for it ("10 sheets", "/ sheet"; Indonesian has no plural). A leaf: notifications render it too."""

from collections.abc import Callable

from flask_babel import ngettext

_LABELS: dict[str, Callable[[int], str]] = {
    "pcs": lambda n: ngettext("pc", "pcs", n),
    "lembar": lambda n: ngettext("sheet", "sheets", n),
    "potong": lambda n: ngettext("piece", "pieces", n),
    "set": lambda n: ngettext("set", "sets", n),
    "paket": lambda n: ngettext("pack", "packs", n),
    "kg": lambda n: ngettext("kg", "kg", n),
    "gram": lambda n: ngettext("gram", "grams", n),
    "liter": lambda n: ngettext("litre", "litres", n),
    "butir": lambda n: ngettext("item", "items", n),
    "ikat": lambda n: ngettext("bunch", "bunches", n),
    "lusin": lambda n: ngettext("dozen", "dozen", n),
    "kodi": lambda n: ngettext("kodi (20 pieces)", "kodi (20 pieces each)", n),
    "meter": lambda n: ngettext("metre", "metres", n),
    "ton": lambda n: ngettext("tonne", "tonnes", n),
    "kuintal": lambda n: ngettext("quintal (100 kg)", "quintals (100 kg each)", n),
    "peti": lambda n: ngettext("crate", "crates", n),
    "jeriken": lambda n: ngettext("jerrycan", "jerrycans", n),
    "drum": lambda n: ngettext("drum", "drums", n),
}


def unit_label(code: str, count: int = 1) -> str:
    """The unit's name in the current language, for that many of it; an unknown code is shown as it is."""
    label = _LABELS.get(code)
    return label(count) if label is not None else code
