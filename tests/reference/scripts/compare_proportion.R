# Reference values for stats/proportion.hpp: Wilson intervals from R's prop.test (with and without
# Yates' correction), Newcombe's hybrid score interval for a difference built from prop.test's
# Wilson limits, and log relative risks from metafor's escalc (½ added to both groups when a
# group has no events, as escalc's default add = 1/2, to = "only0").
# Run from the repository root: Rscript tests/reference/scripts/compare_proportion.R
suppressPackageStartupMessages(library(metafor))
source("tests/reference/scripts/compare_json.R")

wilson <- list()
for (case in list(c(30, 47), c(18, 47), c(0, 10), c(10, 10), c(1, 3), c(1094.78, 1273),
                  c(56, 70), c(48, 80), c(9, 10), c(3, 10), c(2, 200), c(499, 1000))) {
  for (level in c(0.90, 0.95, 0.99)) {
    for (correct in c(FALSE, TRUE)) {
      ci <- suppressWarnings(prop.test(case[1], case[2], correct = correct, conf.level = level)$conf.int)
      wilson[[length(wilson) + 1]] <- list(x = case[1], n = case[2], level = level, correct = correct,
                                           lower = ci[1], upper = ci[2],
                                           call = sprintf("prop.test(%s, %s, correct = %s, conf.level = %s)",
                                                          case[1], case[2], correct, level))
    }
  }
}

wl <- function(x, n, level) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = level)$conf.int)
newcombe <- list()
rr <- list()
for (case in list(c(30, 47, 18, 47), c(56, 70, 48, 80), c(9, 10, 3, 10), c(6, 7, 2, 7), c(5, 56, 0, 29),
                  c(0, 10, 0, 20), c(10, 10, 0, 20), c(18, 47, 30, 47), c(20, 100, 21, 100), c(3, 40, 9, 38))) {
  for (level in c(0.90, 0.95)) {
    x1 <- case[1]; n1 <- case[2]; x2 <- case[3]; n2 <- case[4]
    p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
    w1 <- wl(x1, n1, level); w2 <- wl(x2, n2, level)
    lo <- d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)
    hi <- d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)
    newcombe[[length(newcombe) + 1]] <- list(x1 = x1, n1 = n1, x2 = x2, n2 = n2, level = level,
                                             estimate = d, lower = lo, upper = hi)
    es <- escalc(measure = "RR", ai = x1, n1i = n1, ci = x2, n2i = n2)
    z <- qnorm(1 - (1 - level) / 2)
    rr[[length(rr) + 1]] <- list(x1 = x1, n1 = n1, x2 = x2, n2 = n2, level = level,
                                 log_estimate = as.numeric(es$yi), log_std_error = sqrt(as.numeric(es$vi)),
                                 lower = exp(as.numeric(es$yi) - z * sqrt(as.numeric(es$vi))),
                                 upper = exp(as.numeric(es$yi) + z * sqrt(as.numeric(es$vi))))
  }
}

out <- list(source = "R stats::prop.test; metafor::escalc(measure = 'RR')",
            r_version = R.version.string, metafor_version = as.character(packageVersion("metafor")),
            wilson = wilson, newcombe = newcombe, relative_risk = rr)
write_exact_json(out, "tests/reference/fixtures/compare_proportion.json")
