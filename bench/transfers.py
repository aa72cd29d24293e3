"""Patient-transfer matcher benchmark (issue 18). Prints a table, asserts nothing.

Each run is its own process, so CPU seconds and peak memory (RSS, from wait4) are the
run's own: the matcher (``match_transfers``, checked by ``check_matching``) against one
plain HiGHS LP of the same instance (most patients over every compatible pair, no
fairness, no minutes) built and solved the simple way. The ratio is matcher / plain LP.

    uv run python bench/transfers.py                      # 2,000 requests x 500 hospitals
    uv run python bench/transfers.py --needs 400 --hospitals 100 --seeds 0,1,2

Aim (issue 18): 2,000 transfer requests against 500 hospitals' beds in under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def child(kind: str, needs: int, hospitals: int, seed: int) -> dict[str, object]:
    import numpy as np

    from aidbridge.planning.transfers import check_matching, match_transfers
    from aidbridge.planning.transfers.generate import generate
    from aidbridge.planning.transfers.pairs import compatible_pairs

    problem = generate(needs, hospitals, seed=seed)
    started = time.perf_counter()
    if kind == "matcher":
        plan = match_transfers(problem)
        seconds = time.perf_counter() - started
        assert check_matching(problem, plan).ok
        worst = plan.regions[0].fill if plan.regions else 1.0
        return {
            "seconds": seconds,
            "patients": plan.matched,
            "worst_fill": worst,
            "levels": len(plan.levels),
        }
    import highspy

    pairs = compatible_pairs(problem)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    n_need, n_offer = len(problem.needs), len(problem.offers)
    upper = np.array(
        [n.count for n in problem.needs] + [o.beds for o in problem.offers], dtype=float
    )
    h.addRows(
        n_need + n_offer,
        np.zeros(n_need + n_offer),
        upper,
        0,
        np.zeros(1, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    m = pairs.size
    index = np.empty(2 * m, dtype=np.int32)
    index[0::2] = pairs.need
    index[1::2] = n_need + pairs.offer
    h.addCols(
        m,
        np.ones(m),
        np.zeros(m),
        np.full(m, highspy.kHighsInf),
        2 * m,
        np.arange(0, 2 * m, 2, dtype=np.int32),
        index,
        np.ones(2 * m),
    )
    h.run()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "patients": round(h.getInfo().objective_function_value), "pairs": m}


def measure(kind: str, needs: int, hospitals: int, seed: int) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--needs",
        str(needs),
        "--hospitals",
        str(hospitals),
        "--seeds",
        str(seed),
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = json.loads(proc.stdout.read() if proc.stdout else "{}")
    if status != 0:
        raise SystemExit(f"{kind} failed")
    out.update(cpu=usage.ru_utime + usage.ru_stime, wall=wall, rss_mb=usage.ru_maxrss / 1024)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--hospitals", type=int, default=500)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--child")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.child:
        print(json.dumps(child(args.child, args.needs, args.hospitals, seeds[0])))
        return
    print(
        f"{args.needs} transfer requests x {args.hospitals} hospitals;"
        " whole processes, start-up included"
    )
    print(
        f"{'seed':>4} {'run':>8} {'CPU s':>7} {'wall s':>7} {'solve s':>8} {'RSS MB':>7}"
        f" {'patients':>9}  notes"
    )
    for seed in seeds:
        rows = {
            kind: measure(kind, args.needs, args.hospitals, seed) for kind in ("matcher", "plain")
        }
        for kind, r in rows.items():
            note = (
                f"worst region fill {r['worst_fill']:.3f}, {r['levels']} level(s), plan checked"
                if kind == "matcher"
                else f"{r['pairs']} pairs, no fairness, no minutes"
            )
            print(
                f"{seed:>4} {kind:>8} {r['cpu']:>7.2f} {r['wall']:>7.2f} {r['seconds']:>8.2f}"
                f" {r['rss_mb']:>7.0f} {r['patients']:>9}  {note}"
            )
        ratio = float(rows["matcher"]["cpu"]) / float(rows["plain"]["cpu"])  # type: ignore[arg-type]
        same = rows["matcher"]["patients"] == rows["plain"]["patients"]
        print(
            f"{seed:>4} {'ratio':>8} {ratio:>7.2f}x CPU matcher / plain LP; same patients: {same}"
        )


if __name__ == "__main__":
    main()
