# Reference values of the effect-size measures: metafor's escalc() on metadat datasets, with the
# default options and the continuity-correction variants (add, to, drop00) and variance types.
# Run from the repository root:
#   Rscript tests/reference/scripts/effect_escalc.R
# writes tests/reference/fixtures/effect_escalc.json.
suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(jsonlite)
})

cases <- list()
add_case <- function(name, source, measure, inputs, ..., options = list()) {
  es <- do.call(escalc, c(list(measure = measure), inputs, list(...)))
  cases[[length(cases) + 1]] <<- list(
    name = name, source = source, measure = measure,
    options = options,
    inputs = lapply(inputs, as.numeric),
    yi = as.numeric(es$yi), vi = as.numeric(es$vi))
}

# Continuous outcomes, two groups: dat.normand1999 (Normand 1999).
d <- dat.normand1999
two <- list(m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i, m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i)
add_case("normand1999 MD", "dat.normand1999", "MD", two)
add_case("normand1999 SMD", "dat.normand1999", "SMD", two)
add_case("normand1999 SMD vtype=UB", "dat.normand1999", "SMD", two, vtype = "UB", options = list(vtype = "UB"))
add_case("normand1999 SMD vtype=LS2", "dat.normand1999", "SMD", two, vtype = "LS2", options = list(vtype = "LS2"))
add_case("normand1999 SMDH", "dat.normand1999", "SMDH", two)
add_case("normand1999 ROM", "dat.normand1999", "ROM", two)

# Two groups of a billion each: the exact correction c(m) must stay finite and tend to 1.
# metafor's c(m) = exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2)) loses digits to cancellation
# at this size (about 4e-6 relative at m = 2e9; exactly 1 at m = 3e9), so these cases also carry
# "exact" values with c(m) = sqrt(pi) / (sqrt(m/2) B((m-1)/2, 1/2)), R's lbeta() being computed
# without that cancellation (it agrees with 1 - 3/(4m - 1) to 1e-17 at m = 2e9).
huge <- list(m1i = c(10.5, 10.2), sd1i = c(2, 3), n1i = c(1e9, 1e9), m2i = c(10, 10), sd2i = c(2.5, 3), n2i = c(1e9, 2e9))
add_case("huge N SMD", "synthetic, n = 1e9", "SMD", huge)
add_case("huge N SMDH", "synthetic, n = 1e9", "SMDH", huge)
cm_exact <- function(m) sqrt(pi) / (sqrt(m / 2) * exp(lbeta((m - 1) / 2, 0.5)))
with(huge, {
  m <- n1i + n2i - 2
  c <- cm_exact(m)
  sp <- sqrt(((n1i - 1) * sd1i^2 + (n2i - 1) * sd2i^2) / m)
  yi <- c * (m1i - m2i) / sp
  cases[[length(cases) - 1]]$exact <<- list(yi = yi, vi = 1 / n1i + 1 / n2i + yi^2 / (2 * (n1i + n2i)))
  yh <- c * (m1i - m2i) / sqrt((sd1i^2 + sd2i^2) / 2)
  vh <- c^2 * (yh^2 * (sd1i^4 / (n1i - 1) + sd2i^4 / (n2i - 1)) / (2 * (sd1i^2 + sd2i^2)^2) +
               (sd1i^2 / (n1i - 1) + sd2i^2 / (n2i - 1)) / ((sd1i^2 + sd2i^2) / 2))
  cases[[length(cases)]]$exact <<- list(yi = yh, vi = vh)
})
# The smallest samples where the correction is defined (m = n1 + n2 - 2 = 2).
small <- list(m1i = c(5, 3), sd1i = c(1, 2), n1i = c(2, 3), m2i = c(4, 4), sd2i = c(1.5, 1), n2i = c(2, 2))
add_case("small N SMD", "synthetic, n1 + n2 = 4, 5", "SMD", small)

# Pre-post (single group, change) outcomes: synthetic pre/post summaries with a pre-post correlation.
pp <- list(m1i = c(26.1, 31.4, 18.2, 22.0, 40.3, 12.7), m2i = c(21.3, 30.0, 19.4, 15.6, 33.1, 10.2),
           sd1i = c(6.2, 8.1, 4.4, 5.0, 10.7, 3.1), sd2i = c(5.9, 7.7, 4.9, 6.3, 9.8, 3.3),
           ni = c(20, 35, 12, 48, 9, 150), ri = c(0.55, 0.71, 0.32, 0.60, -0.10, 0.85))
add_case("prepost MC", "synthetic pre-post", "MC", pp)
add_case("prepost SMCC", "synthetic pre-post", "SMCC", pp)
add_case("prepost SMCC vtype=LS2", "synthetic pre-post", "SMCC", pp, vtype = "LS2", options = list(vtype = "LS2"))
add_case("prepost SMCR", "synthetic pre-post", "SMCR", pp[c("m1i", "m2i", "sd1i", "ni", "ri")])
add_case("prepost SMCR vtype=LS2", "synthetic pre-post", "SMCR", pp[c("m1i", "m2i", "sd1i", "ni", "ri")],
         vtype = "LS2", options = list(vtype = "LS2"))

# 2x2 tables: dat.bcg (Colditz et al. 1994).
b <- dat.bcg
bcg <- list(ai = b$tpos, bi = b$tneg, ci = b$cpos, di = b$cneg)
for (m in c("RR", "OR", "RD", "PETO")) add_case(paste("bcg", m), "dat.bcg", m, bcg)
add_case("bcg RD vtype=UB", "dat.bcg", "RD", bcg, vtype = "UB", options = list(vtype = "UB"))

# Zero cells: dat.nielweise2007 (ai, n1i, ci, n2i), every continuity rule.
n <- dat.nielweise2007
niel <- list(ai = n$ai, n1i = n$n1i, ci = n$ci, n2i = n$n2i)
for (m in c("RR", "OR", "RD", "PETO")) {
  add_case(paste("nielweise2007", m), "dat.nielweise2007", m, niel)
  add_case(paste("nielweise2007", m, "to=all"), "dat.nielweise2007", m, niel, to = "all", options = list(to = "all"))
  add_case(paste("nielweise2007", m, "to=if0all add=0.1"), "dat.nielweise2007", m, niel, to = "if0all", add = 0.1,
           options = list(to = "if0all", add = 0.1))
  add_case(paste("nielweise2007", m, "to=none"), "dat.nielweise2007", m, niel, to = "none", options = list(to = "none"))
}
# Zero cells with missing values and double-zero studies: dat.collins1985a (deaths), drop00.
c85 <- dat.collins1985a
coll <- list(ai = c85$d.xti, n1i = c85$nti, ci = c85$d.xci, n2i = c85$nci)
for (m in c("RR", "OR", "RD", "PETO")) {
  add_case(paste("collins1985a", m), "dat.collins1985a", m, coll)
  add_case(paste("collins1985a", m, "drop00"), "dat.collins1985a", m, coll, drop00 = TRUE, options = list(drop00 = TRUE))
  add_case(paste("collins1985a", m, "drop00 to=all add=1"), "dat.collins1985a", m, coll, drop00 = TRUE, to = "all", add = 1,
           options = list(drop00 = TRUE, to = "all", add = 1))
}

# Correlations: dat.molloy2014.
mo <- dat.molloy2014
add_case("molloy2014 COR", "dat.molloy2014", "COR", list(ri = mo$ri, ni = mo$ni))
add_case("molloy2014 ZCOR", "dat.molloy2014", "ZCOR", list(ri = mo$ri, ni = mo$ni))

# Proportions: dat.pritz1997 (two studies with xi = ni).
p <- dat.pritz1997
pr <- list(xi = p$xi, ni = p$ni)
for (m in c("PR", "PLO", "PAS", "PFT")) {
  add_case(paste("pritz1997", m), "dat.pritz1997", m, pr)
  add_case(paste("pritz1997", m, "to=all add=0.25"), "dat.pritz1997", m, pr, to = "all", add = 0.25,
           options = list(to = "all", add = 0.25))
  add_case(paste("pritz1997", m, "to=if0all"), "dat.pritz1997", m, pr, to = "if0all", options = list(to = "if0all"))
}

# Incidence rates: dat.hart1999, and a synthetic set with zero counts.
h <- dat.hart1999
hart <- list(x1i = h$x1i, x2i = h$x2i, t1i = h$t1i, t2i = h$t2i)
rz <- list(x1i = c(0, 4, 0, 7), x2i = c(3, 0, 0, 9), t1i = c(120.5, 98, 210, 300), t2i = c(118, 101.5, 190, 280))
for (m in c("IRR", "IRD")) {
  add_case(paste("hart1999", m), "dat.hart1999", m, hart)
  add_case(paste("zero counts", m), "synthetic", m, rz)
  add_case(paste("zero counts", m, "to=all"), "synthetic", m, rz, to = "all", options = list(to = "all"))
  add_case(paste("zero counts", m, "drop00"), "synthetic", m, rz, drop00 = TRUE, options = list(drop00 = TRUE))
}

# Given effect sizes: yi with sei.
add_case("bcg-like GEN with sei", "synthetic", "GEN", list(yi = c(-0.9, 0.1, -1.2), sei = c(0.57, 0.2, 0.3)))

out <- list(
  generator = "tests/reference/scripts/effect_escalc.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  cases = cases)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE),
           "tests/reference/fixtures/effect_escalc.json")
