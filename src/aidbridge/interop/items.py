"""Finding catalogue items by code or by English or French name, never by guessing.

A near miss is reported with the closest candidates (difflib); a name shared by several
items is refused. Each distinct value is resolved once, so 10,000 rows naming 90 items
cost 90 look-ups.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext

from aidbridge.catalogue.models import Item


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


class ItemNotResolved(Exception):
    pass


class ItemResolver:
    def __init__(self, items: Iterable[Item]):
        self.by_code: dict[str, Item] = {}
        self.by_name: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            self.by_code[normalise(item.code)] = item
            for name in {normalise(item.name_en), normalise(item.name_fr)}:
                if item not in self.by_name[name]:
                    self.by_name[name].append(item)
        self._cache: dict[str, Item | str] = {}

    @classmethod
    def from_catalogue(cls) -> ItemResolver:
        return cls(Item.objects.select_related(None).all())

    @staticmethod
    def describe(item: Item) -> str:
        return f"{item.code} ({item.name_en} / {item.name_fr})"

    def resolve(self, value: str) -> Item:
        """The item ``value`` names, or ItemNotResolved with a message saying why."""
        key = normalise(value)
        if key not in self._cache:
            self._cache[key] = self._resolve(value, key)
        found = self._cache[key]
        if isinstance(found, str):
            raise ItemNotResolved(found)
        return found

    def _resolve(self, value: str, key: str) -> Item | str:
        item = self.by_code.get(key)
        if item is None:
            named = self.by_name.get(key, [])
            if len(named) > 1:
                return gettext("ambiguous item %(value)s: it names %(items)s; give the code") % {
                    "value": repr(value),
                    "items": gettext(" and ").join(self.describe(i) for i in named),
                }
            item = named[0] if named else None
        if item is None:
            return self._unknown(value, key)
        if not item.active:
            return gettext("item %(code)s is no longer offered in the catalogue") % {
                "code": item.code
            }
        return item

    def _unknown(self, value: str, key: str) -> str:
        candidates = list(self.by_code) + list(self.by_name)
        close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
        seen: list[Item] = []
        for c in close:
            for item in [self.by_code[c]] if c in self.by_code else self.by_name[c]:
                if item not in seen:
                    seen.append(item)
        if not seen:
            return gettext("unknown item %(value)s: no catalogue code or name is close to it") % {
                "value": repr(value)
            }
        return gettext("unknown item %(value)s; did you mean %(items)s?") % {
            "value": repr(value),
            "items": gettext(" or ").join(self.describe(i) for i in seen[:3]),
        }
