"""Allocation planner benchmark (issues 4 and 11). Prints tables, asserts nothing.

Every plan — the planner's, the reference's, the greedy baseline's — goes through an
independent checker that shares no code with the planner's solver: pairs from the
plain "may serve" rule (``allocation_reference.pairs_and_costs``), the spec's
feasibility rules (``check_allocation``), per class the most units possible by a
max-flow (higher classes held at that plan's own units), and per class the max-min
fill by its own HiGHS LP (same holding). A plan is only as good as those numbers say.

Speed is measured as whole processes, start-up included: the planner as
``aidbridge plan allocate IN -o OUT`` against one plain HiGHS LP of the same instance
(maximise all units over every compatible pair) in its own process, timed the same
way; the ratio is planner / plain LP. CPU seconds (user + system, from wait4) are the
figure to trust on a shared machine: wall seconds also count the time the neighbours
held the cores, so both are printed with the load average. Peak RSS comes from
/usr/bin/time (wait4's would be this process's own high-water mark).

After the per-instance reports, one table puts every instance side by side (the
2,000 x 800 and the 10,000 x 10,000 in one run): planner and plain LP, wall and CPU
seconds and peak memory each, the ratios, and whether the certificate and the
checker call the plan optimal. ``--no-check`` skips the independent checker (its own
max-min LPs over every pair take minutes at 10,000 x 10,000) and keeps the timings
and the planner's certificate.

Instances: ``appeal`` (issue 11's shape, 2,000 needs x 800 supplies,
``generate_appeal``) and ``large`` (10,000 x 10,000, 60 items, earmarks and dates,
``generate_instance(SIZES["large"])``).

    uv run python bench/allocation.py --instances appeal,large --seeds 0 --no-reference
    uv run python bench/allocation.py --instances appeal --seeds 0,1,2
    uv run python bench/allocation.py --instances large --seeds 0 --no-reference --no-check

Last measured (2026-11-30, shared 2-core machine at load 15-21, so CPU seconds are
the figure to trust; full output in ``bench/results/issue11-allocation.txt``), one run
of ``--instances appeal,large --seeds 0 --no-reference --no-check``:

    instance              planner cpu   wall  peak MB   plain LP cpu    wall  peak MB  cpu x
    appeal 2000x800 s0           0.94   6.68       62           1.23    8.21      156   0.76
    large 10000x10000 s0         9.17  28.10       91          37.91  136.69     1258   0.24

Appeal seeds 0/1/2 with the checker: planner / plain LP CPU 0.77x, 0.85x, 0.41x;
large seed 0 with the checker: 9.78 / 39.35 CPU s (0.25x). Every plan's F_k equal to
the checker's max-flow, nobody more than a unit below its max-min LP, certificate
optimal.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def make_instance(name: str, seed: int) -> dict[str, Any]:
    from aidbridge.planning.allocation.generate import SIZES, generate_appeal, generate_instance

    if name == "appeal":
        return generate_appeal(2_000, 800, seed=seed)
    return generate_instance(SIZES[name], seed=seed)


_TIME = Path("/usr/bin/time")


def run_child(cmd: list[str]) -> dict[str, Any]:
    """Wall, CPU and peak RSS of one child process, start-up included.

    Peak RSS through /usr/bin/time when it is there: a child forked from this (large)
    process inherits its high-water mark, so wait4's figure would be ours, not its.
    """
    measured = _TIME.exists()
    if measured:
        cmd = [str(_TIME), "-f", "%M", *cmd]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024
    if measured:
        err, _, last = err.rstrip("\n").rpartition("\n")
        peak_mb = int(last) / 1024 if last.isdigit() else float("nan")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": peak_mb,
        "rc": os.waitstatus_to_exitcode(status),
        "out": out,
        "err": err,
    }


# --- children --------------------------------------------------------------------------


def plain_lp(path: str) -> None:
    """One plain LP: maximise all units over every compatible pair. Prints its value."""
    import highspy
    import numpy as np

    from aidbridge.planning.allocation import load_allocation
    from aidbridge.planning.allocation.network import build_network

    with open(path, "rb") as handle:
        net = build_network(load_allocation(handle.read()))
    n_sup, n_pair = int(net.supply_qty.shape[0]), net.n_edges
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.addRows(
        n_sup + int(net.need_qty.shape[0]),
        np.full(n_sup + net.need_qty.shape[0], -highspy.kHighsInf),
        np.concatenate([net.supply_qty, net.need_qty]).astype(np.float64),
        0,
        np.zeros(1, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    index = np.empty(2 * n_pair, dtype=np.int32)
    index[0::2] = net.edge_supply
    index[1::2] = n_sup + net.edge_need
    h.addCols(
        n_pair,
        np.full(n_pair, -1.0),
        np.zeros(n_pair),
        np.full(n_pair, highspy.kHighsInf),
        2 * n_pair,
        np.arange(0, 2 * n_pair, 2, dtype=np.int32),
        index,
        np.ones(2 * n_pair),
    )
    h.run()
    print(json.dumps({"units": -h.getInfo().objective_function_value}))


def baseline(method: str, path: str, out: str) -> None:
    sys.path.insert(0, str(HERE))
    from allocation_reference import plan_greedy, plan_reference

    from aidbridge.planning.allocation import load_allocation, plan_to_json

    with open(path, "rb") as handle:
        problem = load_allocation(handle.read())
    plan = plan_greedy(problem) if method == "greedy" else plan_reference(problem)[0]
    assert plan is not None
    Path(out).write_text(json.dumps(plan_to_json(plan)), encoding="utf-8")


# --- the independent checker -----------------------------------------------------------


class Checker:
    """The spec's figures for any plan, from the plain rule, max-flow and its own LP."""

    def __init__(self, problem: Any) -> None:
        sys.path.insert(0, str(HERE))
        from allocation_reference import pairs_and_costs

        self.problem = problem
        self.pairs, _, _ = pairs_and_costs(problem)

    def units(self, plan: Any) -> list[int]:
        index = {n.id: i for i, n in enumerate(self.problem.needs)}
        got = [0] * len(self.problem.needs)
        for a in plan.allocations:
            got[index[a.need]] += a.quantity
        return got

    def max_units(self, got: list[int], k: int) -> int:
        """Most units for class k with every higher need held at ``got`` (max-flow)."""
        import numpy as np
        import scipy.sparse as sp
        from scipy.sparse.csgraph import maximum_flow

        needs, supplies = self.problem.needs, self.problem.supplies
        ns, nn = len(supplies), len(needs)
        demand = [
            got[i] if n.priority < k else n.quantity if n.priority == k else 0
            for i, n in enumerate(needs)
        ]
        arcs = [(ns + nn, si, s.quantity) for si, s in enumerate(supplies)]
        arcs += [(si, ns + ni, 2**31 - 1) for si, ni in self.pairs if demand[ni] > 0]
        arcs += [(ns + ni, ns + nn + 1, d) for ni, d in enumerate(demand) if d > 0]
        rows, cols, cap = (np.array(c, dtype=np.int64) for c in zip(*arcs, strict=True))
        graph = sp.csr_array((cap.astype(np.int32), (rows, cols)), shape=(ns + nn + 2,) * 2)
        value = int(maximum_flow(graph, ns + nn, ns + nn + 1).flow_value)
        return value - sum(got[i] for i, n in enumerate(needs) if n.priority < k)

    def max_min_fill(self, got: list[int], k: int) -> float:
        """Max t: every class-k need gets t x quantity, higher needs keep ``got`` (LP)."""
        import highspy
        import numpy as np

        needs, supplies = self.problem.needs, self.problem.supplies
        members = [i for i, n in enumerate(needs) if n.priority == k]
        if not members:
            return 1.0
        live = [(si, ni) for si, ni in self.pairs if needs[ni].priority <= k]
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        ns, nn = len(supplies), len(needs)
        q_max = float(max(needs[i].quantity for i in members))
        # Column 0: the level t (objective in units of the largest need, see simple.py).
        lower = np.full(ns + nn, -highspy.kHighsInf)
        upper = np.full(ns + nn, highspy.kHighsInf)
        upper[:ns] = [s.quantity for s in supplies]
        for i, n in enumerate(needs):
            if n.priority < k:
                lower[ns + i] = got[i]
            upper[ns + i] = n.quantity if n.priority <= k else 0.0
        member_rows = np.array([ns + i for i in members], dtype=np.int32)
        lower[member_rows] = 0.0
        h.addRows(
            ns + nn,
            lower,
            upper,
            0,
            np.zeros(1, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        h.addCol(-q_max, 0.0, 1.0, 0, np.zeros(0, dtype=np.int32), np.zeros(0))
        m = len(live)
        es = np.array([p[0] for p in live], dtype=np.int32)
        en = np.array([p[1] for p in live], dtype=np.int32)
        index = np.empty(2 * m, dtype=np.int32)
        index[0::2], index[1::2] = es, ns + en
        h.addCols(
            m,
            np.zeros(m),
            np.zeros(m),
            np.full(m, highspy.kHighsInf),
            2 * m,
            np.arange(0, 2 * m, 2, dtype=np.int32),
            index,
            np.ones(2 * m),
        )
        # Level rows: 0 <= intake(n) - q_n t <= q_n. Its upper side lets a need take up
        # to (1 + t) q_n, which cannot raise t: the surplus helps no one else.
        for i in members:
            h.changeCoeff(ns + i, 0, -float(needs[i].quantity))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return float("nan")
        return float(h.getSolution().col_value[0])

    def verdict(self, plan: Any) -> dict[str, Any]:
        from aidbridge.planning.allocation import check_allocation

        report = check_allocation(self.problem, plan)
        got = self.units(plan)
        out: dict[str, Any] = {"feasible": report.ok, "violations": report.violations[:2]}
        for k in (1, 2, 3):
            members = [i for i, n in enumerate(self.problem.needs) if n.priority == k]
            if not members:
                continue
            out[f"F{k}"] = sum(got[i] for i in members)
            out[f"maxF{k}"] = self.max_units(got, k)
            out[f"minfill{k}"] = min(got[i] / self.problem.needs[i].quantity for i in members)
            out[f"maxmin{k}"] = level = self.max_min_fill(got, k)
            # The spec's rounding: no need more than one unit below the max-min level.
            out[f"short{k}"] = sum(
                got[i] < level * q - 1 - 1e-6 * q
                for i in members
                for q in (self.problem.needs[i].quantity,)
            )
        return out


# --- the report ------------------------------------------------------------------------


SUMMARY: list[dict[str, Any]] = []
"""One row per instance for the side-by-side table printed at the end."""


def _certificate(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    stats = json.loads(path.read_text(encoding="utf-8")).get("stats", {})
    return {
        "optimal": stats.get("certificate", {}).get("optimal"),
        "stage_cpu": stats.get("cpu_seconds", {}),
        "pairs": stats.get("compatible_pairs"),
    }


def report(name: str, seed: int, with_reference: bool, with_check: bool = True) -> None:
    from aidbridge.planning.allocation import load_allocation, plan_from_json

    doc = make_instance(name, seed)
    work = Path(tempfile.mkdtemp(prefix="alloc-bench-"))
    source = work / "input.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    problem = load_allocation(source.read_bytes())
    py = sys.executable
    rows: dict[str, dict[str, Any]] = {}
    rows["plain LP"] = run_child([py, __file__, "--plain-lp", str(source)])
    rows["planner"] = run_child(
        [py, "-m", "aidbridge.cli", "plan", "allocate", str(source), "-o", str(work / "ours.json")]
    )
    # Greedy tries every supply for every need in plain Python: too slow at 10^8 tries.
    small = len(problem.needs) * len(problem.supplies) <= 5_000_000
    methods = [*(["greedy"] if small else []), *(["reference"] if with_reference else [])]
    for method in methods:
        out = work / f"{method}.json"
        rows[method] = run_child([py, __file__, "--baseline", method, str(source), str(out)])
    started = time.perf_counter()
    cert = _certificate(work / "ours.json")
    summary: dict[str, Any] = {
        "instance": f"{name} {len(problem.needs)}x{len(problem.supplies)} s{seed}",
        "planner": rows["planner"],
        "plain": rows["plain LP"],
        "optimal": cert.get("optimal"),
        "checked": None,
        "load": os.getloadavg()[0],
    }
    SUMMARY.append(summary)
    lp_units = json.loads(rows["plain LP"]["out"])["units"] if rows["plain LP"]["rc"] == 0 else None
    print(
        f"\n== {name} (seed {seed}): {len(problem.needs)} needs x {len(problem.supplies)} "
        f"supplies, {cert.get('pairs')} compatible pairs =="
    )
    if cert.get("stage_cpu"):
        print(f"planner stages, CPU s in process: {cert['stage_cpu']}")
    if not with_check:
        print(
            f"plain LP {rows['plain LP']['cpu']:.2f} CPU s, planner "
            f"{rows['planner']['cpu']:.2f} CPU s, certificate optimal {cert.get('optimal')}; "
            "independent checker skipped (--no-check)"
        )
        return
    checker = Checker(problem)
    print(
        f"plain LP (max all units): {lp_units} units, wall {rows['plain LP']['wall']:.2f} s, "
        f"cpu {rows['plain LP']['cpu']:.2f} s, peak {rows['plain LP']['peak_mb']:.0f} MB"
    )
    plans = {"planner": work / "ours.json", **{m: work / f"{m}.json" for m in methods}}
    for method, path in plans.items():
        row = rows[method]
        if row["rc"] != 0 or not path.exists():
            print(f"{method:<10} failed: {row['err'].strip().splitlines()[-1:]}")
            continue
        plan = plan_from_json(json.loads(path.read_text(encoding="utf-8")))
        v = checker.verdict(plan)
        if method == "planner":
            summary["checked"] = v["feasible"] and all(
                v[f"F{k}"] == v[f"maxF{k}"] and v[f"short{k}"] == 0
                for k in (1, 2, 3)
                if f"F{k}" in v
            )
        figures = "  ".join(
            f"F{k} {v[f'F{k}']}/{v[f'maxF{k}']} minfill{k} {v[f'minfill{k}']:.4f}"
            f"/{v[f'maxmin{k}']:.4f}"
            for k in (1, 2, 3)
            if f"F{k}" in v
        )
        print(
            f"{method:<10} wall {row['wall']:7.2f} s  cpu {row['cpu']:7.2f} s  "
            f"peak {row['peak_mb']:5.0f} MB  feasible {'yes' if v['feasible'] else 'NO'}  "
            f"{figures}"
        )
        if method == "planner":
            print("           " + " / ".join(line.strip() for line in row["err"].splitlines()))
    if rows["planner"]["rc"] != 0 or rows["plain LP"]["rc"] != 0:
        print(f"no ratio: a process failed; load {os.getloadavg()}")
        return
    ratio = rows["planner"]["wall"] / rows["plain LP"]["wall"]
    cpu_ratio = rows["planner"]["cpu"] / rows["plain LP"]["cpu"]
    print(
        f"planner / plain LP: wall {ratio:.2f}x, cpu {cpu_ratio:.2f}x (processes, start-up "
        f"included); checker {time.perf_counter() - started:.1f} s; load {os.getloadavg()}"
    )
    print(
        "(F_k x/y: units / max-flow given the plan's higher classes; minfill x/y: the "
        "plan's worst fill / the checker's max-min LP given the same)"
    )


def _side_by_side() -> None:
    if not SUMMARY:
        return
    print(
        "\n== side by side: whole processes, start-up included (CPU = user + system s; "
        "wall counts the neighbours' share of a shared machine) =="
    )
    head = (
        f"{'instance':<24} {'planner cpu':>11} {'wall':>7} {'peak MB':>7}   "
        f"{'plain LP cpu':>12} {'wall':>7} {'peak MB':>7}   {'cpu x':>6} {'wall x':>6}  "
        f"{'certificate':<11} {'checker':<8} load"
    )
    print(head)
    for row in SUMMARY:
        ours, plain = row["planner"], row["plain"]
        ok = ours["rc"] == 0 and plain["rc"] == 0
        cpu_x = f"{ours['cpu'] / plain['cpu']:.2f}" if ok else "-"
        wall_x = f"{ours['wall'] / plain['wall']:.2f}" if ok else "-"
        checked = {None: "skipped", True: "optimal", False: "NOT"}[row["checked"]]
        print(
            f"{row['instance']:<24} {ours['cpu']:>11.2f} {ours['wall']:>7.2f} "
            f"{ours['peak_mb']:>7.0f}   {plain['cpu']:>12.2f} {plain['wall']:>7.2f} "
            f"{plain['peak_mb']:>7.0f}   {cpu_x:>6} {wall_x:>6}  "
            f"{row['optimal']!s:<11} {checked:<8} {row['load']:.1f}"
        )
    print("(x: planner / plain LP, below 1 means the planner is faster)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--instances", default="appeal,large")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument(
        "--no-check", action="store_true", help="skip the independent checker (timings only)"
    )
    parser.add_argument("--plain-lp", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_lp:
        plain_lp(args.plain_lp)
        return
    if args.baseline:
        baseline(*args.baseline)
        return
    for name in args.instances.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            report(name, seed, not args.no_reference, not args.no_check)
    _side_by_side()


if __name__ == "__main__":
    main()
