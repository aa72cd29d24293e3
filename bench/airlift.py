"""Airlift planner benchmark (issue 5). Not a test: it prints tables, it asserts nothing.

(a) Li & Lim PDPTW, 100 tasks: the planner's routing core on the 12 instances in
    bench/data/li-lim-pdptw (source and licence in its README), gap to the reference
    cost per instance and on average, at each time limit; every solution re-verified
    from the raw data. Limits are CPU seconds of the search (``--wall`` for wall-clock),
    so a busy shared machine does not shorten the search.
(b) Airlift: seeded instances over real European and Turkish airports at three sizes,
    the PyVRP planner beside the round-trip baseline (one dedicated sortie per
    consignment on the cheapest capable aircraft); the checker runs on every plan.

    uv run python bench/airlift.py                       # everything (~8 min + airlift)
    uv run python bench/airlift.py --part lilim --limits 10,30
    uv run python bench/airlift.py --part airlift --sizes small,medium --airlift-time 5
    uv run python bench/airlift.py --part lilim --limits 2 --instances lc101,lr201
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from airlift_lilim import INSTANCES, load, verify

from aidbridge.planning.airlift import AirliftPlan, check_airlift, parse_airlift, plan_airlift
from aidbridge.planning.airlift.baseline import plan_round_trips
from aidbridge.planning.airlift.generate import SIZES, generate
from aidbridge.planning.airlift.insertion import plan_insertion
from aidbridge.planning.airlift.routing import solve_routing

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LILIM = REPO / "bench" / "data" / "li-lim-pdptw"
DEFAULT_AIRLIFT_TIME = {"small": 5.0, "medium": 30.0, "large": 60.0}


def run_lilim(directory: Path, names: list[str], limits: list[float], seed: int, cpu: bool) -> None:
    print(f"(a) Li & Lim PDPTW 100-task instances from {directory}")
    print("    distance x1000 (PyVRP 'exact'); gap = (cost - reference) / reference;")
    print(f"    limits in {'CPU' if cpu else 'wall-clock'} seconds per instance, seed {seed}")
    wall = time.perf_counter()
    head = f"{'instance':<9}{'reference':>10}"
    for limit in limits:
        head += f"{f'cost@{limit:g}s':>12}{'gap':>8}{'routes':>7}"
    print(head)
    gaps: dict[float, list[float]] = {limit: [] for limit in limits}
    for name in names:
        instance = load(directory, name)
        line = f"{name:<9}{instance.reference:>10}"
        for limit in limits:
            result = solve_routing(instance.problem, limit, seed=seed, cpu_time=cpu)
            distance, problems = verify(instance, result)
            if problems or distance != result.cost:
                print(f"  {name}@{limit:g}s INFEASIBLE or miscounted: {problems[:3]}")
                line += f"{'-':>12}{'-':>8}{'-':>7}"
                continue
            gap = 100 * (distance - instance.reference) / instance.reference
            gaps[limit].append(gap)
            line += f"{distance:>12}{gap:>7.2f}%{len(result.routes):>7}"
        print(line, flush=True)
    line = f"{'average':<9}{'':>10}"
    for limit in limits:
        mean = statistics.fmean(gaps[limit]) if gaps[limit] else float("nan")
        line += f"{'':>12}{mean:>7.2f}%{'':>7}"
    print(line)
    print(f"    wall-clock {time.perf_counter() - wall:.0f} s; load average {_load()}")
    print()


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _row(label: str, plan: AirliftPlan, violations: int) -> str:
    s = plan.stats
    d = s["delivered_kg"]
    total = d["1"] + d["2"] + d["3"]
    return (
        f"  {label:<12}{d['1'] / 1000:>9.1f}{d['2'] / 1000:>9.1f}{d['3'] / 1000:>9.1f}"
        f"{total / 1000:>9.1f}{s['cost'] / 1e6:>10.3f}{s['flight_hours']:>9.1f}"
        f"{s['sorties']:>8}{s['solve_time_s']:>9.2f}{violations:>6}"
    )


def run_airlift(sizes: list[str], times: dict[str, float], seed: int, cold: bool) -> None:
    print(f"(b) Airlift instances over European and Turkish airports (seed {seed});")
    print("    PyVRP limits in wall-clock seconds, as a user of the planner gets them")
    for size in sizes:
        n, m = SIZES[size]
        inp = parse_airlift(generate(n, m, seed=seed))
        bound = {p: 0.0 for p in "123"}
        plans: list[tuple[str, AirliftPlan]] = []
        baseline = plan_round_trips(inp)
        plans.append(("round trips", baseline))
        started = time.perf_counter()
        plans.append(("insertion", plan_insertion(inp)))
        insertion_s = time.perf_counter() - started
        if cold:
            plans.append(
                ("pyvrp cold", plan_airlift(inp, times[size], seed=seed, warm_start=False))
            )
        plans.append(("pyvrp", plan_airlift(inp, times[size], seed=seed)))
        bound = plans[-1][1].stats["deliverable_kg_upper_bound"]
        requested = plans[-1][1].stats["requested_kg"]
        print(
            f"{size}: {n} consignments, {m} aircraft, PyVRP time limit {times[size]:g} s"
            f" (insertion took {insertion_s:.1f} s)"
        )
        print(
            f"  {'planner':<12}{'P1 t':>9}{'P2 t':>9}{'P3 t':>9}{'total t':>9}"
            f"{'cost M':>10}{'fl.hrs':>9}{'sorties':>8}{'time s':>9}{'viol':>6}"
        )
        for label, plan in plans:
            print(_row(label, plan, len(check_airlift(inp, plan))))
        print(
            f"  {'requested':<12}"
            + "".join(f"{requested[p] / 1000:>9.1f}" for p in "123")
            + f"{sum(requested.values()) / 1000:>9.1f}"
        )
        print(
            f"  {'upper bound':<12}"
            + "".join(f"{bound[p] / 1000:>9.1f}" for p in "123")
            + f"{sum(bound.values()) / 1000:>9.1f}"
        )
        base, best = baseline.stats, plans[-1][1].stats
        ratio = best["cost"] / base["cost"] if base["cost"] else float("nan")
        per_t = [s["cost"] / max(1.0, sum(s["delivered_kg"].values()) / 1000) for s in (base, best)]
        print(
            f"  pyvrp / round trips: cost x{ratio:.2f}, flight hours "
            f"x{best['flight_hours'] / max(base['flight_hours'], 1e-9):.2f}, "
            f"cost per delivered tonne {per_t[1]:,.0f} vs {per_t[0]:,.0f}"
        )
        print(f"  load average {_load()}", flush=True)
        print(flush=True)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--part", choices=["lilim", "airlift", "all"], default="all")
    p.add_argument("--lilim-dir", type=Path, default=DEFAULT_LILIM)
    p.add_argument("--instances", default=",".join(INSTANCES))
    p.add_argument("--limits", default="10,30", help="Li & Lim seconds per instance")
    p.add_argument("--sizes", default="small,medium,large")
    p.add_argument(
        "--airlift-time", type=float, help="PyVRP seconds for every size (default 5/30/60)"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--cold", action="store_true", help="also run PyVRP without the insertion warm start"
    )
    p.add_argument(
        "--wall",
        action="store_true",
        help="Li & Lim limits in wall-clock seconds (default: CPU seconds, fair on a shared "
        "machine)",
    )
    args = p.parse_args(argv)
    if args.part in ("lilim", "all"):
        if not args.lilim_dir.is_dir():
            print(f"no Li & Lim instances at {args.lilim_dir} (use --lilim-dir)", file=sys.stderr)
            return 2
        limits = [float(x) for x in args.limits.split(",")]
        run_lilim(args.lilim_dir, args.instances.split(","), limits, args.seed, not args.wall)
    if args.part in ("airlift", "all"):
        sizes = args.sizes.split(",")
        times = {s: args.airlift_time or DEFAULT_AIRLIFT_TIME[s] for s in sizes}
        run_airlift(sizes, times, args.seed, args.cold)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
