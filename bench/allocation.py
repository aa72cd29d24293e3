"""Allocation planner benchmark (issue 4). Not a test: it prints tables, asserts nothing.

Seeded instances at three sizes (see ``aidbridge.planning.allocation.generate``). Per
size, each method runs in its own subprocess (so peak memory is its own): the planner
(time per stage and total, wall and CPU, peak RSS), the straightforward reference
(one generic LP per step through HiGHS' modelling layer) with the speed ratio, and
the first-come-first-served greedy baseline. The feasibility checker runs on every
plan; the objective figures are printed side by side. CPU seconds are given beside
wall seconds because the machine is shared: wall time there depends on neighbours.

    uv run python bench/allocation.py                      # small, medium, large
    uv run python bench/allocation.py --sizes small,medium
    uv run python bench/allocation.py --sizes large --reference-budget 900
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def run_one(method: str, size: str, seed: int, budget: float) -> dict[str, Any]:
    """Runs inside the child process; prints nothing but its JSON result."""
    sys.path.insert(0, str(HERE))
    from allocation_reference import objective, plan_greedy, plan_reference

    from aidbridge.planning.allocation import check_allocation, parse_allocation, plan_allocation
    from aidbridge.planning.allocation.generate import SIZES, generate_instance

    problem = parse_allocation(generate_instance(SIZES[size], seed=seed))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu = time.perf_counter(), time.process_time()
    result: dict[str, Any] = {"method": method}
    if method == "ours":
        plan = plan_allocation(problem, check=False)
        result["stages"] = plan.stats["seconds"]
        result["cpu_stages"] = plan.stats["cpu_seconds"]
        result["pairs"] = plan.stats["compatible_pairs"]
        result["families"] = plan.stats["item_families"]
        result["levels"] = sum(len(c["fill_levels"]) for c in plan.stats["by_class"].values())
        result["lp_solves"] = sum(c["lp_solves"] for c in plan.stats["by_class"].values())
        result["bound_tonne_km"] = plan.stats["bound_tonne_km"]
        result["target_minfill"] = _target_minfill(problem, plan.targets)
    elif method == "reference":
        maybe, info = plan_reference(problem, budget_s=budget)
        result["lps"] = info["lps"]
        if maybe is None:
            result["unfinished_after"] = info["seconds"]
            return result
        plan = maybe
        result["max_fraction"] = info["max_fraction"]
        result["target_minfill"] = _target_minfill(problem, info["targets"])
    else:
        plan = plan_greedy(problem)
    result["wall"] = time.perf_counter() - wall
    result["cpu"] = time.process_time() - cpu
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_before_mb"] = rss_before
    report = check_allocation(problem, plan)
    result["feasible"] = report.ok
    result["violations"] = report.violations[:3]
    result["objective"] = objective(problem, plan)
    return result


def _target_minfill(problem: Any, targets: dict[str, float]) -> dict[str, float]:
    """Per class, the fractional leximin minimum fill each method proved."""
    out = {}
    for k in (1, 2, 3):
        fills = [targets.get(n.id, 0.0) / n.quantity for n in problem.needs if n.priority == k]
        if fills:
            out[str(k)] = min(fills)
    return out


def spawn(method: str, size: str, seed: int, budget: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--one", method, "--sizes", size, "--seed", str(seed)]
    cmd += ["--reference-budget", str(budget)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"method": method, "error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _fmt_objective(obj: dict[str, Any]) -> str:
    parts = []
    for k in (1, 2, 3):
        if f"F{k}" in obj:
            parts.append(f"F{k}={obj[f'F{k}']} minfill{k}={obj[f'minfill{k}']:.4f}")
    parts.append(f"tkm={obj['tonne_km']:.1f}")
    return "  ".join(parts)


def _same(ours: dict[str, Any], ref: dict[str, Any]) -> bool:
    """Same F_k, same proved (fractional) leximin minimum per class, same tonne-km."""
    a, b = ours["objective"], ref["objective"]
    for key, value in a.items():
        if key.startswith("F") and b.get(key) != value:
            return False
    for k, fill in ours["target_minfill"].items():
        if (
            abs(ref["target_minfill"].get(k, -1.0) - fill) > 1e-5
        ):  # reference holds values loosened by 1e-6
            return False
    return bool(abs(a["tonne_km"] - b["tonne_km"]) <= 1e-6 * (1 + abs(a["tonne_km"])))


def report(size: str, seed: int, budget: float, with_reference: bool) -> None:
    ours = spawn("ours", size, seed, budget)
    greedy = spawn("greedy", size, seed, budget)
    ref = spawn("reference", size, seed, budget) if with_reference else None
    print(f"\n== {size} (seed {seed}) ==")
    if "error" in ours:
        print(f"planner failed: {ours['error']}")
        return
    st = ours["stages"]
    print(
        f"pairs {ours['pairs']}, item families {ours['families']}, fill levels {ours['levels']}, "
        f"level LPs {ours['lp_solves']}"
    )
    print(f"{'method':<11}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}  feasible  objective")
    for row in (ours, ref, greedy):
        if row is None:
            continue
        name = row["method"]
        if "error" in row:
            print(f"{name:<11} failed: {row['error']}")
            continue
        if "unfinished_after" in row:
            print(f"{name:<11} unfinished after {row['unfinished_after']:.0f} s ({row['lps']} LPs)")
            continue
        print(
            f"{name:<11}{row['wall']:>9.2f}{row['cpu']:>9.2f}{row['peak_rss_mb']:>9.0f}  "
            f"{'yes' if row['feasible'] else 'NO ' + str(row['violations']):<8}  "
            f"{_fmt_objective(row['objective'])}"
        )
    print(
        "planner stages wall/cpu s: "
        + ", ".join(
            f"{stage} {value:.2f}/{ours['cpu_stages'][stage]:.2f}" for stage, value in st.items()
        )
        + f"; proved tonne-km bound {ours['bound_tonne_km']:.1f}"
    )
    if ref is not None and "wall" in ref:
        print(
            f"reference / planner: wall {ref['wall'] / ours['wall']:.1f}x, "
            f"cpu {ref['cpu'] / ours['cpu']:.1f}x; same objective: "
            f"{'yes' if _same(ours, ref) else 'NO'}"
            f" (reference LPs {ref['lps']}, largest fraction {ref['max_fraction']:.2g})"
        )
    elif ref is not None and "unfinished_after" in ref:
        print(
            f"reference / planner: > {ref['unfinished_after'] / ours['wall']:.1f}x wall "
            f"(reference stopped at its {budget:.0f} s budget)"
        )
    g, o = greedy.get("objective"), ours["objective"]
    if g:
        print(
            f"greedy vs planner: critical units {g.get('F1', 0)} vs {o.get('F1', 0)}, "
            + ", ".join(
                f"min fill {k} {g[f'minfill{k}']:.3f} vs {o[f'minfill{k}']:.3f}"
                for k in (1, 2, 3)
                if f"minfill{k}" in o
            )
            + f", tonne-km {g['tonne_km']:.0f} vs {o['tonne_km']:.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--reference-budget",
        type=float,
        default=1800.0,
        help="stop the reference after this many seconds (reported as a lower bound)",
    )
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.sizes, args.seed, args.reference_budget)))
        return
    for size in args.sizes.split(","):
        report(size, args.seed, args.reference_budget, not args.no_reference)


if __name__ == "__main__":
    main()
