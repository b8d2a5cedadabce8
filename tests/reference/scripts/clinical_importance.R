# Reference values for include/trialstats/clinical/importance.hpp and responders.hpp (normal change):
# confidence and prediction intervals, P(beyond the MCID) from pnorm/pt, the sceptical posterior,
# the share of settings beyond the MCID, and the category by the rules of docs/methods.md
# ("Clinical importance"), written here independently; plus one pooled analysis by metafor 3.8.1
# (rma, REML; predict() for the PI) of tests/inputs/mcid/fatigue_trials.csv (synthetic: see
# tests/inputs/mcid/README.md).
# Run from the repository root: Rscript tests/reference/scripts/clinical_importance.R
suppressPackageStartupMessages(library(metafor))
library(jsonlite)
source("tests/reference/scripts/compare_json.R")  # write_exact_json: every number as %.17g

category <- function(b, lo, hi, m) {
  if (lo >= m || hi <= -m) return("important")
  if (-m < lo && hi < m) return("trivial")
  if (lo > 0 || hi < 0) return(if (abs(b) >= m) "possibly_important" else "significant_possibly_unimportant")
  "inconclusive"
}

tail_upper <- function(x, df) if (is.null(df)) pnorm(x, lower.tail = FALSE) else pt(x, df, lower.tail = FALSE)
crit <- function(level, df) if (is.null(df)) qnorm(1 - (1 - level) / 2) else qt(1 - (1 - level) / 2, df)

importance <- function(name, estimate, se, mcid, direction, df = NULL, tau2 = NULL, pi_df = NULL,
                       prior_sd = NULL, level = 0.95) {
  s <- if (direction == "lower_is_better") -1 else 1
  m <- abs(mcid)
  q <- crit(level, df)
  ci <- c(estimate - q * se, estimate + q * se)
  b <- s * estimate
  lo <- min(s * ci); hi <- max(s * ci)
  out <- list(name = name, estimate = estimate, se = se, mcid = mcid, direction = direction,
              df = if (is.null(df)) NULL else df, level = level,
              ci = ci, category = category(b, lo, hi, m),
              p_beyond = tail_upper((m - b) / se, df), p_harm_beyond = tail_upper((m + b) / se, df))
  if (!is.null(prior_sd)) {
    v0 <- prior_sd^2; v <- se^2
    pm <- estimate * v0 / (v0 + v); psd <- sqrt(1 / (1 / v + 1 / v0))
    z <- qnorm(1 - (1 - level) / 2)
    out$prior_sd <- prior_sd
    out$sceptical <- list(mean = pm, sd = psd, interval = c(pm - z * psd, pm + z * psd),
                          p_beyond = pnorm((m - s * pm) / psd, lower.tail = FALSE))
  }
  if (!is.null(tau2)) {
    sdp <- sqrt(se^2 + tau2)
    qp <- crit(level, pi_df)
    out$tau2 <- tau2
    if (!is.null(pi_df)) out$pi_df <- pi_df
    out$pi <- c(estimate - qp * sdp, estimate + qp * sdp)
    out$share_beyond <- tail_upper((m - b) / sdp, pi_df)
  }
  out
}

cases <- list(
  importance("issue example: MD -2.7, SE 0.45, MCID 2, lower is better", -2.7, 0.45, -2, "lower_is_better"),
  importance("important benefit", -3.5, 0.3, -2, "lower_is_better"),
  importance("significant, possibly unimportant", -1.5, 0.4, -2, "lower_is_better"),
  importance("trivial", -0.5, 0.3, 2, "lower_is_better"),
  importance("inconclusive", -1.5, 1.0, -2, "lower_is_better"),
  importance("higher is better, t with 8 df: possibly important", 5, 2, 4, "higher_is_better", df = 8),
  importance("important harm", 3, 0.4, -2, "lower_is_better"),
  importance("estimate beyond but CI includes 0: inconclusive", -2.5, 1.5, -2, "lower_is_better"),
  importance("random effects with t PI (k-2 = 4 df) and a sceptical prior", -2.7, 0.45, -2, "lower_is_better",
             tau2 = 0.5, pi_df = 4, prior_sd = 2),
  importance("level 90, normal PI", 1.2, 0.5, 1, "higher_is_better", tau2 = 0.3, prior_sd = 1, level = 0.90)
)

# One pooled analysis: metafor REML on the synthetic trials.
dat <- read.csv("tests/inputs/mcid/fatigue_trials.csv")
es <- escalc("MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat)
fit <- rma(yi, vi, data = es, method = "REML", control = list(threshold = 1e-12, maxiter = 1000))
pr <- predict(fit)
pooled <- importance("metafor REML on fatigue_trials.csv", as.numeric(fit$beta), fit$se, -2, "lower_is_better",
                     tau2 = fit$tau2)
pooled$metafor_pi <- c(pr$pi.lb, pr$pi.ub)
pooled$metafor_ci <- c(pr$ci.lb, pr$ci.ub)

# Responders under normal change (Anzures-Cabrera et al. 2011): control mean change -1, SD 3.
resp <- function(effect, ci, control, sd, mcid, direction) {
  s <- if (direction == "lower_is_better") -1 else 1
  m <- abs(mcid)
  p <- function(mu) pnorm((s * mu - m) / sd)
  pc <- p(control); pt_ <- p(control + effect); a <- p(control + ci[1]); b <- p(control + ci[2])
  tci <- c(min(a, b), max(a, b))
  list(effect = effect, effect_ci = ci, control_mean = control, sd = sd, mcid = mcid, direction = direction,
       control = pc, treatment = pt_, treatment_ci = tci, rd = pt_ - pc, rd_ci = tci - pc, nnt = 1 / abs(pt_ - pc))
}
ex <- cases[[1]]
responders <- list(
  resp(ex$estimate, ex$ci, -1, 3, -2, "lower_is_better"),
  resp(0.8, c(-0.3, 1.9), 0.5, 2.5, 1.5, "higher_is_better")
)

out <- list(
  generated_by = "tests/reference/scripts/clinical_importance.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  cases = cases, pooled = pooled, responders = responders)
write_exact_json(out, "tests/reference/fixtures/clinical_importance.json")
