# Checks the numbers of the golden outputs of `trialstats effect` (tests/cli/effect/*) against
# metafor's escalc() and its Wald CIs / back-transformations (summary.escalc, transf.*).
# Run from the repository root: Rscript tests/reference/scripts/effect_cli_check.R
# Prints the largest relative difference of each case and stops when one exceeds 1e-8.
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
rel <- function(a, b) max(abs(a - b) / pmax(abs(b), 1e-300), na.rm = TRUE)
check <- function(name, got, want) {
  stopifnot(identical(is.na(got), is.na(want)))
  d <- rel(got, want)
  cat(sprintf("%-28s max rel diff %.3g\n", name, d))
  if (d > 1e-8) stop(name, ": difference too large")
}
ci <- function(es, level = 95) summary(es, level = level)

# bcg RR, CSV output at full precision
got <- read.csv("tests/cli/effect/bcg_rr_csv/expected.csv")
es <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
s <- ci(es)
check("bcg_rr_csv", cbind(got$yi, got$vi, got$sei, got$ci_lb, got$ci_ub), cbind(s$yi, s$vi, s$sei, s$ci.lb, s$ci.ub))

# bcg OR, JSON output with --transform (exp)
j <- fromJSON("tests/cli/effect/bcg_or_json_transform/expected.json")
es <- escalc("OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
s <- ci(es)
st <- summary(es, transf = exp)
check("bcg_or_json_transform", cbind(j$studies$yi, j$studies$vi, j$studies$sei, do.call(rbind, j$studies$ci),
                                     j$studies$transformed$yi, do.call(rbind, j$studies$transformed$ci)),
      cbind(s$yi, s$vi, s$sei, s$ci.lb, s$ci.ub, st$yi, st$ci.lb, st$ci.ub))

# normand SMD, JSON output
j <- fromJSON("tests/cli/effect/normand_smd_json/expected.json")
es <- escalc("SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)
s <- ci(es)
check("normand_smd_json", cbind(j$studies$yi, j$studies$vi, do.call(rbind, j$studies$ci)), cbind(s$yi, s$vi, s$ci.lb, s$ci.ub))

# zero cells with drop00, to = all, add = 0.25, CSV output
got <- read.csv("tests/cli/effect/zero_cells_drop00/expected.csv")
inp <- read.csv("tests/inputs/effect/zero_cells.csv")
es <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = inp, drop00 = TRUE, to = "all", add = 0.25)
s <- ci(es)
check("zero_cells_drop00", cbind(got$yi, got$vi, got$ci_lb, got$ci_ub), cbind(s$yi, s$vi, s$ci.lb, s$ci.ub))

# PFT with the inverse Freeman-Tukey transformation (study sample sizes) from the Markdown output
# (4 decimals: compared at 5e-5 absolute)
md <- readLines("tests/cli/effect/pritz_pft_md_transform/expected.md")[-(1:2)]
cells <- t(sapply(strsplit(md, "\\|"), function(r) trimws(r[-1])))
es <- escalc("PFT", xi = xi, ni = ni, data = dat.pritz1997)
s <- summary(es)
p <- transf.ipft(s$yi, dat.pritz1997$ni); lb <- transf.ipft(s$ci.lb, dat.pritz1997$ni); ub <- transf.ipft(s$ci.ub, dat.pritz1997$ni)
d <- max(abs(apply(cells[, c(5, 8, 9, 10, 11, 12)], 2, as.numeric) - cbind(s$yi, s$ci.lb, s$ci.ub, p, lb, ub)))
cat(sprintf("%-28s max abs diff %.3g\n", "pritz_pft_md_transform", d))
if (d > 5e-5) stop("pritz_pft_md_transform: difference too large")
cat("all golden numbers agree with metafor\n")
