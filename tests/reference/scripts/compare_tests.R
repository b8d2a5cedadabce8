# Reference values for include/trialstats/compare/: R's t.test, wilcox.test, chisq.test, fisher.test,
# prop.test, binom.test, power.t.test and power.prop.test on fixed data, each with the call that
# made it. fisher.test's estimate and limits come from R's uniroot (tol 1.2e-4 by default); they are
# recorded both as printed by fisher.test and from the same fisher.test code with uniroot's tolerance
# tightened to 1e-15. power.*.test are called with tol = 1e-12.
# Run from the repository root: Rscript tests/reference/scripts/compare_tests.R
source("tests/reference/scripts/compare_json.R")

set.seed(20261130)
datasets <- list(
  sleep = list(x = sleep$extra[sleep$group == 1], y = sleep$extra[sleep$group == 2]),
  mtcars_mpg_am = list(x = mtcars$mpg[mtcars$am == 1], y = mtcars$mpg[mtcars$am == 0]),
  tooth_len_supp = list(x = ToothGrowth$len[ToothGrowth$supp == "OJ"], y = ToothGrowth$len[ToothGrowth$supp == "VC"]),
  small_no_ties = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
                       y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.01, 3.14, 1.28, 0.95)),
  tiny = list(x = c(4.2, 5.1), y = c(3.3, 2.9, 4.0)),
  unequal = list(x = round(rnorm(12, 5, 1), 3), y = round(rnorm(30, 4.2, 3), 3)),
  large_no_ties = list(x = round(rnorm(60, 0.3, 1), 6), y = round(rnorm(55, 0, 1.5), 6)),
  separated = list(x = c(10.5, 11.2, 12.9, 13.4, 14.1), y = c(1.1, 2.2, 3.3, 4.4, 5.5, 6.6))
)

ttests <- list()
wilcox <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]
  for (var.equal in c(FALSE, TRUE)) for (alt in c("two.sided", "less", "greater")) for (level in c(0.95, 0.9)) {
    mu <- if (alt == "two.sided" && level == 0.9) 0.5 else 0
    t <- t.test(d$x, d$y, var.equal = var.equal, alternative = alt, conf.level = level, mu = mu)
    ttests[[length(ttests) + 1]] <- list(
      data = name, var_equal = var.equal, alternative = alt, level = level, mu = mu,
      call = sprintf("t.test(x, y, var.equal = %s, alternative = '%s', conf.level = %s, mu = %s)", var.equal, alt, level, mu),
      statistic = unname(t$statistic), df = unname(t$parameter), p = t$p.value, lower = t$conf.int[1],
      upper = t$conf.int[2], std_error = t$stderr, estimate = unname(t$estimate[1] - t$estimate[2]))
  }
  for (alt in c("two.sided", "less", "greater")) for (exact in list(NULL, FALSE)) for (correct in c(TRUE, FALSE)) {
    if (is.null(exact) && !correct) next
    w <- suppressWarnings(wilcox.test(d$x, d$y, alternative = alt, exact = exact, correct = correct))
    wilcox[[length(wilcox) + 1]] <- list(
      data = name, alternative = alt, exact = if (is.null(exact)) "auto" else "normal", correct = correct,
      call = sprintf("wilcox.test(x, y, alternative = '%s', exact = %s, correct = %s)", alt,
                     if (is.null(exact)) "NULL" else "FALSE", correct),
      method = w$method, statistic = unname(w$statistic), p = w$p.value)
  }
}
w <- wilcox.test(datasets$tiny$x, datasets$tiny$y, mu = 1)
wilcox[[length(wilcox) + 1]] <- list(data = "tiny", alternative = "two.sided", exact = "auto", correct = TRUE, mu = 1,
                                     call = "wilcox.test(x, y, mu = 1)", method = w$method,
                                     statistic = unname(w$statistic), p = w$p.value)

tables <- list(c(30, 17, 18, 29), c(3, 1, 1, 3), c(10, 2, 3, 15), c(0, 12, 5, 7), c(1, 20, 9, 11),
               c(45, 55, 30, 70), c(2, 8, 7, 3), c(12, 0, 4, 9), c(100, 900, 140, 860), c(5, 5, 5, 5))
chisq <- list()
fisher <- list()
loose_uniroot <- function(...) stats::uniroot(...)
tight_env <- new.env(parent = asNamespace("stats"))
assign("uniroot", function(f, interval, ...) stats::uniroot(f, interval, ..., tol = 1e-15, maxiter = 10000),
       envir = tight_env)
fisher_tight <- fisher.test
environment(fisher_tight) <- tight_env
for (tab in tables) {
  m <- matrix(tab, 2, byrow = TRUE)
  for (correct in c(TRUE, FALSE)) {
    ch <- suppressWarnings(chisq.test(m, correct = correct))
    chisq[[length(chisq) + 1]] <- list(table = tab, correct = correct,
      call = sprintf("chisq.test(matrix(c(%s), 2, byrow = TRUE), correct = %s)", paste(tab, collapse = ", "), correct),
      statistic = unname(ch$statistic), df = unname(ch$parameter), p = ch$p.value, expected = as.numeric(t(ch$expected)))
  }
  for (alt in c("two.sided", "less", "greater")) for (level in c(0.95, 0.9)) {
    f <- fisher.test(m, alternative = alt, conf.level = level)
    ft <- fisher_tight(m, alternative = alt, conf.level = level)
    fisher[[length(fisher) + 1]] <- list(table = tab, alternative = alt, level = level,
      call = sprintf("fisher.test(matrix(c(%s), 2, byrow = TRUE), alternative = '%s', conf.level = %s)",
                     paste(tab, collapse = ", "), alt, level),
      p = f$p.value, estimate_default = unname(f$estimate), lower_default = f$conf.int[1], upper_default = f$conf.int[2],
      estimate = unname(ft$estimate), lower = ft$conf.int[1], upper = ft$conf.int[2])
  }
}
m3 <- matrix(c(12, 5, 9, 7, 10, 14, 3, 8, 11), 3, byrow = TRUE)
ch <- chisq.test(m3)
chisq3 <- list(rows = 3, cols = 3, counts = as.numeric(t(m3)), call = "chisq.test(matrix(c(12, 5, 9, 7, 10, 14, 3, 8, 11), 3, byrow = TRUE))",
               statistic = unname(ch$statistic), df = unname(ch$parameter), p = ch$p.value)

props <- list()
for (case in list(c(1094, 1273, 0.5), c(30, 47, 0.5), c(3, 40, 0.1), c(18, 20, 0.7), c(0, 15, 0.2), c(50, 100, 0.5))) {
  for (alt in c("two.sided", "less", "greater")) for (correct in c(TRUE, FALSE)) {
    p <- suppressWarnings(prop.test(case[1], case[2], p = case[3], alternative = alt, correct = correct))
    props[[length(props) + 1]] <- list(groups = 1, x = case[1], n = case[2], null_p = case[3], alternative = alt,
      correct = correct, call = sprintf("prop.test(%s, %s, p = %s, alternative = '%s', correct = %s)", case[1], case[2], case[3], alt, correct),
      statistic = unname(p$statistic), p = p$p.value, lower = p$conf.int[1], upper = p$conf.int[2])
  }
}
for (case in list(c(30, 47, 18, 47), c(56, 70, 48, 80), c(9, 10, 3, 10), c(15, 200, 16, 210), c(0, 25, 6, 25), c(40, 41, 20, 40))) {
  for (alt in c("two.sided", "less", "greater")) for (correct in c(TRUE, FALSE)) {
    p <- suppressWarnings(prop.test(case[c(1, 3)], case[c(2, 4)], alternative = alt, correct = correct))
    props[[length(props) + 1]] <- list(groups = 2, x1 = case[1], n1 = case[2], x2 = case[3], n2 = case[4],
      alternative = alt, correct = correct,
      call = sprintf("prop.test(c(%s, %s), c(%s, %s), alternative = '%s', correct = %s)", case[1], case[3], case[2], case[4], alt, correct),
      statistic = unname(p$statistic), p = p$p.value, lower = p$conf.int[1], upper = p$conf.int[2])
  }
}

binom <- list()
for (case in list(c(7, 20, 0.5), c(0, 10, 0.5), c(10, 10, 0.5), c(682, 925, 0.75), c(3, 40, 0.1), c(1094, 1273, 0.86), c(2, 50, 0.01))) {
  for (alt in c("two.sided", "less", "greater")) for (level in c(0.95, 0.99)) {
    b <- binom.test(case[1], case[2], p = case[3], alternative = alt, conf.level = level)
    binom[[length(binom) + 1]] <- list(x = case[1], n = case[2], null_p = case[3], alternative = alt, level = level,
      call = sprintf("binom.test(%s, %s, p = %s, alternative = '%s', conf.level = %s)", case[1], case[2], case[3], alt, level),
      p = b$p.value, lower = b$conf.int[1], upper = b$conf.int[2])
  }
}

power_t <- list()
for (case in list(c(20, 1, 1), c(10, 0.5, 1.2), c(64, 0.5, 1), c(5, 2, 1), c(100, 0.3, 1))) for (sides in c("two.sided", "one.sided")) for (strict in c(FALSE, TRUE)) {
  p <- power.t.test(n = case[1], delta = case[2], sd = case[3], alternative = sides, strict = strict)
  power_t[[length(power_t) + 1]] <- list(solve = "power", n = case[1], delta = case[2], sd = case[3], sig_level = 0.05, sides = sides, strict = strict,
    call = sprintf("power.t.test(n = %s, delta = %s, sd = %s, alternative = '%s', strict = %s)", case[1], case[2], case[3], sides, strict),
    power = p$power)
}
for (case in list(c(1, 1, 0.9), c(0.5, 1, 0.8), c(10, 15, 0.8), c(0.2, 1, 0.95))) for (sides in c("two.sided", "one.sided")) for (sig in c(0.05, 0.01)) {
  p <- power.t.test(delta = case[1], sd = case[2], power = case[3], sig.level = sig, alternative = sides, tol = 1e-12)
  power_t[[length(power_t) + 1]] <- list(solve = "n", delta = case[1], sd = case[2], power = case[3], sig_level = sig, sides = sides, strict = FALSE,
    call = sprintf("power.t.test(delta = %s, sd = %s, power = %s, sig.level = %s, alternative = '%s', tol = 1e-12)", case[1], case[2], case[3], sig, sides),
    n = p$n)
}
power_prop <- list()
for (case in list(c(50, 0.5, 0.75), c(200, 0.1, 0.15), c(30, 0.6, 0.3))) for (sides in c("two.sided", "one.sided")) for (strict in c(FALSE, TRUE)) {
  p <- power.prop.test(n = case[1], p1 = case[2], p2 = case[3], alternative = sides, strict = strict)
  power_prop[[length(power_prop) + 1]] <- list(solve = "power", n = case[1], p1 = case[2], p2 = case[3], sig_level = 0.05, sides = sides, strict = strict,
    call = sprintf("power.prop.test(n = %s, p1 = %s, p2 = %s, alternative = '%s', strict = %s)", case[1], case[2], case[3], sides, strict),
    power = p$power)
}
for (case in list(c(0.5, 0.75, 0.9), c(0.1, 0.15, 0.8), c(0.3, 0.6, 0.8))) for (sides in c("two.sided", "one.sided")) for (sig in c(0.05, 0.01)) {
  p <- power.prop.test(p1 = case[1], p2 = case[2], power = case[3], sig.level = sig, alternative = sides, tol = 1e-12)
  power_prop[[length(power_prop) + 1]] <- list(solve = "n", p1 = case[1], p2 = case[2], power = case[3], sig_level = sig, sides = sides, strict = FALSE,
    call = sprintf("power.prop.test(p1 = %s, p2 = %s, power = %s, sig.level = %s, alternative = '%s', tol = 1e-12)", case[1], case[2], case[3], sig, sides),
    n = p$n)
}

out <- list(source = "R stats: t.test, wilcox.test, chisq.test, fisher.test, prop.test, binom.test, power.t.test, power.prop.test",
            r_version = R.version.string, datasets = datasets, t_test = ttests, wilcox_test = wilcox,
            chisq_test = chisq, chisq_test_3x3 = chisq3, fisher_test = fisher, prop_test = props,
            binom_test = binom, power_t_test = power_t, power_prop_test = power_prop)
write_exact_json(out, "tests/reference/fixtures/compare_tests.json")
