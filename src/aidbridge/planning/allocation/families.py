"""Split a problem into item families that cannot interact.

A supply can only serve needs of its own item or of items it substitutes for, so the
items linked by ``substitutes`` form families, and the families are independent
problems: each class total, each leximin level, the tonne-km are sums or unions over
families. Solving them one by one is exact, and much faster: simplex work grows
faster than linearly with the number of pairs. Ventilators never compete with masks.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import AllocationInput


@dataclass(frozen=True, slots=True)
class Family:
    items: tuple[str, ...]
    need_index: tuple[int, ...]
    """Positions of the family's needs in the original problem."""
    supply_index: tuple[int, ...]
    problem: AllocationInput


def item_families(problem: AllocationInput) -> list[Family]:
    parent = {code: code for code in problem.items}

    def root(code: str) -> str:
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for need_item, supply_item in problem.substitutes:
        a, b = root(need_item), root(supply_item)
        if a != b:
            parent[max(a, b)] = min(a, b)

    needs: dict[str, list[int]] = {}
    for i, n in enumerate(problem.needs):
        needs.setdefault(root(n.item), []).append(i)
    supplies: dict[str, list[int]] = {}
    for i, s in enumerate(problem.supplies):
        supplies.setdefault(root(s.item), []).append(i)

    families = []
    for key in sorted(needs.keys() & supplies.keys()):
        items = tuple(sorted(code for code in problem.items if root(code) == key))
        need_index, supply_index = tuple(needs[key]), tuple(supplies[key])
        families.append(
            Family(
                items=items,
                need_index=need_index,
                supply_index=supply_index,
                problem=AllocationInput(
                    items={code: problem.items[code] for code in items},
                    substitutes=frozenset(
                        pair for pair in problem.substitutes if root(pair[0]) == key
                    ),
                    needs=tuple(problem.needs[i] for i in need_index),
                    supplies=tuple(problem.supplies[i] for i in supply_index),
                ),
            )
        )
    return families
