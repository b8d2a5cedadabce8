# Expected BCG results (data/bcg.csv, log risk ratio) under each profile of meta/profile.hpp,
# computed with metafor as the independent reference. Run from the repository root:
#   Rscript tests/reference/scripts/mh_profiles_bcg.R
# writes tests/reference/fixtures/profiles_bcg.json
#
# REML is iterated to the optimum itself (threshold 1e-12), as trialstats does (DESIGN.md); metafor's
# default stopping rule (1e-5) leaves tau^2 slightly short of it. Compare REML values with relative
# tolerance 1e-6 (iterative), DL values with 1e-8 (closed form).
suppressMessages(library(metafor))
suppressMessages(library(jsonlite))

# Every number written with 17 significant digits (jsonlite alone stops at 15).
exact <- function(x) {
  if (is.list(x)) return(lapply(x, exact))
  if (is.numeric(x)) {
    s <- ifelse(is.na(x), "null", sprintf("%.17g", x))
    return(structure(if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]"), class = "json"))
  }
  x
}

bcg <- read.csv("data/bcg.csv")
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = bcg)
k <- nrow(dat)
tight <- list(threshold = 1e-12, maxiter = 1000)

v <- function(value, source) list(value = unname(as.numeric(value)), source = source)
interval <- function(lower, upper, source) list(value = unname(as.numeric(c(lower, upper))), source = source)

# I^2 and H^2 from Q (Higgins & Thompson 2002), as meta and RevMan 5 report them.
i2_from_q <- function(fit) max(0, 100 * (fit$QE - (fit$k - 1)) / fit$QE)
h2_from_q <- function(fit) fit$QE / (fit$k - 1)
# Prediction interval with t_{k-2} (Higgins, Thompson & Spiegelhalter 2009).
pi_hts <- function(fit) {
  crit <- qt(0.975, df = fit$k - 2)
  half <- crit * sqrt(fit$tau2 + fit$se^2)
  c(fit$b[1] - half, fit$b[1] + half)
}

common <- function(fit, tag) list(
  estimate = v(fit$b, paste0(tag, ": pooled log risk ratio")),
  se = v(fit$se, paste0(tag, ": standard error of the pooled estimate")),
  z = v(fit$zval, paste0(tag, ": Wald z statistic (test = \"z\")")),
  p = v(fit$pval, paste0(tag, ": two-sided p-value from the standard normal")),
  ci = interval(fit$ci.lb, fit$ci.ub, paste0(tag, ": estimate -/+ qnorm(0.975) * se")),
  tau2 = v(fit$tau2, paste0(tag, ": tau^2")),
  q = v(fit$QE, "Cochran's Q around the inverse-variance common-effect estimate (the same under every profile)"),
  q_df = v(fit$k - 1, "k - 1"),
  q_p = v(fit$QEp, "upper tail of chi-square(k - 1) at Q"))

reml <- rma(yi, vi, data = dat, method = "REML", test = "z", control = tight)
dl <- rma(yi, vi, data = dat, method = "DL", test = "z")
pred_reml <- predict(reml)
pi_reml_riley <- predict(reml, pi.type = "riley")
pi_dl_riley <- predict(dl, pi.type = "riley")
stopifnot(isTRUE(all.equal(pi_hts(reml), c(pi_reml_riley$pi.lb, pi_reml_riley$pi.ub), tolerance = 1e-12)))
stopifnot(isTRUE(all.equal(pi_hts(dl), c(pi_dl_riley$pi.lb, pi_dl_riley$pi.ub), tolerance = 1e-12)))

tag_reml <- "metafor 3.8.1 rma(yi, vi, method = \"REML\", test = \"z\", control = list(threshold = 1e-12))"
tag_dl <- "metafor 3.8.1 rma(yi, vi, method = \"DL\", test = \"z\")"

profiles <- list(
  metafor = list(
    settings = list(tau2 = "REML", test = "z", i2 = "tau2", pi = "same_as_test"),
    expected = c(common(reml, tag_reml), list(
      i2 = v(reml$I2, paste0(tag_reml, ": I^2 from tau^2 and the typical within-study variance (?print.rma, Note)")),
      h2 = v(reml$H2, paste0(tag_reml, ": H^2 = (tau^2 + v)/v (?print.rma, Note)")),
      pi = interval(pred_reml$pi.lb, pred_reml$pi.ub,
                    paste0(tag_reml, ", predict(): normal quantile under test = \"z\" (?predict.rma, Note)"))))),
  meta = list(
    settings = list(tau2 = "REML", test = "z", i2 = "q", pi = "t_k_minus_2"),
    expected = c(common(reml, paste0(tag_reml, " (meta: method.tau = \"REML\", method.random.ci = \"classic\")")), list(
      i2 = v(i2_from_q(reml), "I^2 = (Q - (k - 1))/Q from the same fit (meta: method.i2 = \"q\")"),
      h2 = v(h2_from_q(reml), "H^2 = Q/(k - 1) (meta reports H = sqrt(Q/(k - 1)))"),
      pi = interval(pi_reml_riley$pi.lb, pi_reml_riley$pi.ub,
                    paste0(tag_reml, ", predict(pi.type = \"riley\"): estimate -/+ qt(0.975, k - 2) * sqrt(tau^2 + se^2) ",
                           "(meta: method.predict = \"HTS\"; shown only with prediction = TRUE)"))))),
  revman5 = list(
    settings = list(tau2 = "DL", test = "z", i2 = "q", pi = "t_k_minus_2"),
    expected = c(common(dl, paste0(tag_dl, " (RevMan 5: DerSimonian-Laird, z; meta settings.meta(\"RevMan5\"))")), list(
      i2 = v(i2_from_q(dl), "I^2 = (Q - (k - 1))/Q (RevMan 5; equals metafor's I^2 under DL)"),
      h2 = v(h2_from_q(dl), "H^2 = Q/(k - 1)"),
      pi = interval(pi_dl_riley$pi.lb, pi_dl_riley$pi.ub,
                    paste0(tag_dl, ", predict(pi.type = \"riley\"): t with k - 2 df; RevMan 5 itself shows no ",
                           "prediction interval (meta settings.meta(\"RevMan5\"): prediction = FALSE)"))))),
  stata = list(
    settings = list(tau2 = "REML", test = "z", i2 = "tau2"),
    expected = c(common(reml, paste0(tag_reml, " (Stata meta summarize defaults: REML, z)")), list(
      i2 = v(reml$I2, "I^2 from tau^2 (Stata's default REML output, see docs/methods.md, Profiles)"),
      h2 = v(reml$H2, "H^2 = (tau^2 + v)/v, as I^2")))))

# The DL I^2 from Q equals metafor's (tau^2-based) I^2: a check of the formulas above.
stopifnot(isTRUE(all.equal(i2_from_q(dl), dl$I2, tolerance = 1e-12)))

out <- list(
  generator = "tests/reference/scripts/mh_profiles_bcg.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  data = "data/bcg.csv",
  measure = "RR",
  k = k,
  tolerance = list(REML = 1e-6, DL = 1e-8,
                   reason = "REML is iterative (optimum to threshold 1e-12); DL is closed form"),
  profiles = profiles)
writeLines(toJSON(exact(out), auto_unbox = TRUE, null = "null", na = "null", json_verbatim = TRUE, pretty = TRUE),
           "tests/reference/fixtures/profiles_bcg.json")
cat("wrote tests/reference/fixtures/profiles_bcg.json\n")
