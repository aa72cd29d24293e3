"""Global ids: ``<centre code>:<kind>:<row id at that centre>``.

A row we made has our code's global id unless it is linked to another (``GlobalLink``):
rows made from a partner's snapshot, and at the origin the rows a partner's command
made (linked to the partner's id, so both centres name them alike).
"""

from __future__ import annotations

from django.conf import settings

from aidbridge.federation.models import GlobalLink

KINDS = ("rfa", "line", "offer", "offer_line", "dispatch", "receipt")


def own_code() -> str:
    return str(settings.AIDBRIDGE_CENTRE_CODE)


def own_gid(kind: str, pk: int) -> str:
    return f"{own_code()}:{kind}:{pk}"


def gid_of(kind: str, pk: int) -> str:
    link = GlobalLink.objects.filter(kind=kind, local_id=pk).values_list("gid", flat=True).first()
    return link or own_gid(kind, pk)


def gids_of(kind: str, pks: list[int]) -> dict[int, str]:
    links = dict(
        GlobalLink.objects.filter(kind=kind, local_id__in=pks).values_list("local_id", "gid")
    )
    return {pk: links.get(pk) or own_gid(kind, pk) for pk in pks}


def resolve(kind: str, gid: str) -> int | None:
    """Our row id for a global id, or None if we have no such row (yet)."""
    linked = GlobalLink.objects.filter(kind=kind, gid=gid).values_list("local_id", flat=True)
    found = linked.first()
    if found is not None:
        return found
    code, _sep, rest = gid.partition(":")
    row_kind, _sep, pk = rest.partition(":")
    if code == own_code() and row_kind == kind and pk.isdigit():
        return int(pk)
    return None


def resolve_many(kind: str, gids: list[str]) -> dict[str, int]:
    """``resolve`` for many global ids at once: those we have a row for."""
    found: dict[str, int] = {}
    for start in range(0, len(gids), 500):  # SQLite's limit on parameters
        chunk = gids[start : start + 500]
        links = GlobalLink.objects.filter(kind=kind, gid__in=chunk)
        found.update(links.values_list("gid", "local_id"))
    own = f"{own_code()}:{kind}:"
    for gid in gids:
        pk = gid.removeprefix(own)
        if gid not in found and gid.startswith(own) and pk.isdigit():
            found[gid] = int(pk)
    return found


def link(kind: str, pk: int, gid: str) -> None:
    if gid != own_gid(kind, pk):
        GlobalLink.objects.get_or_create(kind=kind, local_id=pk, defaults={"gid": gid})


def centre_of(gid: str) -> str:
    return gid.split(":", 1)[0]
