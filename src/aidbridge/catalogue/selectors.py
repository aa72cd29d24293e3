"""Reading the catalogue of relief items."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from aidbridge.catalogue.models import Item


def item_list(
    *, search: str | None = None, category: str | None = None, active: bool | None = True
) -> QuerySet[Item]:
    """Items matching ``search`` in their code or English or French name."""
    items = Item.objects.select_related("category")
    if active is not None:
        items = items.filter(active=active)
    if category:
        items = items.filter(category__code__iexact=category)
    if search and search.strip():
        text = search.strip()
        items = items.filter(
            Q(code__icontains=text) | Q(name_en__icontains=text) | Q(name_fr__icontains=text)
        )
    return items


def item_by_code(code: str) -> Item | None:
    return Item.objects.select_related("category").filter(code__iexact=code.strip()).first()
