"""Li & Lim PDPTW instances (PyVRP's VRPLIB-style copies) fed to the airlift routing core.

Conventions from ../shared/benchmarks/li-lim-pdptw/README.md: Euclidean distances
times 1000 rounded to the nearest integer ("exact"), and time windows and service
times scaled by 1000 too; the objective is total distance only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aidbridge.planning.airlift.routing import RoutingProblem, Task, VehicleGroup

INSTANCES = (
    "lc101", "lc105", "lc201", "lc205", "lr101", "lr105",
    "lr201", "lr205", "lrc101", "lrc105", "lrc201", "lrc205",
)  # fmt: skip


@dataclass(frozen=True)
class Instance:
    name: str
    problem: RoutingProblem
    reference: int


def _sections(text: str) -> tuple[dict[str, str], dict[str, list[list[float]]]]:
    header: dict[str, str] = {}
    sections: dict[str, list[list[float]]] = {}
    current: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = line
            sections[current] = []
        elif current is None and ":" in line:
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
        elif current is not None:
            sections[current].append([float(v) for v in line.split()])
    return header, sections


def read_reference(path: Path) -> int:
    match = re.search(r"Cost:?\s+(\d+)", path.read_text())
    if match is None:
        raise ValueError(f"{path}: no Cost line")
    return int(match.group(1))


def load(directory: Path, name: str) -> Instance:
    header, sections = _sections((directory / f"{name}.vrp").read_text())
    coords = [(row[1], row[2]) for row in sections["NODE_COORD_SECTION"]]
    rows = {int(r[0]) - 1: r for r in sections["PICKUP_AND_DELIVERY_SECTION"]}
    n = len(coords)
    xy = np.asarray(coords)
    dist = np.round(1000 * np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)))
    matrix = dist.astype(np.int64)
    tasks = []
    for node, row in sorted(rows.items()):
        demand, early, late, service, _, delivery_sibling = row[1:7]
        if node == 0 or demand <= 0:
            continue
        drow = rows[int(delivery_sibling) - 1]
        tasks.append(
            Task(
                pickup=node,
                delivery=int(delivery_sibling) - 1,
                amount=(int(demand),),
                pickup_window=(round(1000 * early), round(1000 * late)),
                delivery_window=(round(1000 * drow[2]), round(1000 * drow[3])),
                pickup_service=round(1000 * service),
                delivery_service=round(1000 * drow[4]),
            )
        )
    depot = rows[0]
    vehicles = [
        VehicleGroup(
            count=int(header["VEHICLES"]),
            capacity=(int(header["CAPACITY"]),),
            depot=0,
            window=(round(1000 * depot[2]), round(1000 * depot[3])),
        )
    ]
    assert n == int(header["DIMENSION"]) and not math.isnan(matrix.sum())
    problem = RoutingProblem(coords, [matrix], [matrix], vehicles, tasks)
    return Instance(name, problem, read_reference(directory / f"{name}.sol"))
