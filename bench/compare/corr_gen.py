"""Writes the benchmark input of bench/compare/corr_large.sh: N rows of patient,hrv_change,fatigue_change
(synthesised: hrv_change ~ N(20, 40²) with 2 decimals, fatigue_change = -0.02·hrv_change + N(0, 1.2²) with
2 decimals, so both have ties). Usage: python3 corr_gen.py OUT.csv [N]"""
import sys

import numpy as np

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
rng = np.random.default_rng(20260605)
chunk = 1_000_000
with open(out, "w") as f:
    f.write("patient,hrv_change,fatigue_change\n")
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        hrv = np.round(rng.normal(20, 40, m), 2)
        fat = np.round(-0.02 * hrv + rng.normal(0, 1.2, m), 2)
        ids = np.arange(start + 1, start + m + 1)
        f.write("\n".join(f"{i},{h:.2f},{g:.2f}" for i, h, g in zip(ids, hrv, fat)))
        f.write("\n")
