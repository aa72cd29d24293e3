"""Li & Lim PDPTW instances (PyVRP's VRPLIB-style copies) fed to the airlift routing core.

Conventions from bench/data/li-lim-pdptw/README.md: Euclidean distances
times 1000 rounded to the nearest integer ("exact"), and time windows and service
times scaled by 1000 too; the objective is total distance only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aidbridge.planning.airlift.routing import RoutingProblem, RoutingResult, Task, VehicleGroup

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


def verify(instance: Instance, result: RoutingResult) -> tuple[int, list[str]]:
    """Recompute a solution's distance and check it from the raw data, independently of
    PyVRP's own bookkeeping: every task served once, pickup before delivery on one
    route, capacity, time windows with service times. Returns (distance, problems)."""
    p = instance.problem
    dist, problems = 0, []
    served: list[int] = []
    group = p.vehicles[0]
    for r, route in enumerate(result.routes):
        load, t, here, picked = 0, group.window[0], group.depot, set()
        for v in route.visits:
            task = p.tasks[v.task]
            there = task.pickup if v.pickup else task.delivery
            early, late = task.pickup_window if v.pickup else task.delivery_window
            dist += int(p.distances[0][here, there])
            t = max(t + int(p.durations[0][here, there]), early)
            if t > late:
                problems.append(f"route {r}: task {v.task} served at {t} > {late}")
            t += task.pickup_service if v.pickup else task.delivery_service
            load += task.amount[0] if v.pickup else -task.amount[0]
            if load > group.capacity[0]:
                problems.append(f"route {r}: load {load} over capacity")
            if v.pickup:
                picked.add(v.task)
                served.append(v.task)
            elif v.task not in picked:
                problems.append(f"route {r}: task {v.task} delivered before pickup")
            here = there
        dist += int(p.distances[0][here, group.depot])
        if t + int(p.durations[0][here, group.depot]) > group.window[1]:
            problems.append(f"route {r}: back at the depot after the horizon")
    if sorted(served) != list(range(len(p.tasks))):
        problems.append("not every task served exactly once")
    if len(result.routes) > group.count:
        problems.append(f"{len(result.routes)} routes for {group.count} vehicles")
    return dist, problems
