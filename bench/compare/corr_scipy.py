"""The Python side of bench/compare/corr_large.sh: pandas.read_csv, then scipy.stats pearsonr, spearmanr
and kendalltau (tau-b) of hrv_change and fatigue_change. Prints the three coefficients and p-values."""
import sys

import pandas as pd
from scipy import stats

d = pd.read_csv(sys.argv[1])
x, y = d["hrv_change"].to_numpy(), d["fatigue_change"].to_numpy()
for name, f in (("pearson", stats.pearsonr), ("spearman", stats.spearmanr), ("kendall", stats.kendalltau)):
    r = f(x, y)
    print(f"{name} {r[0]!r} {r[1]!r}")
