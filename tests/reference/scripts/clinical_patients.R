# Reference values for include/trialstats/clinical/rci.hpp, derive.hpp and responders.hpp on
# individual patients, and the synthetic symptom diary they use (tests/inputs/mcid/diary.csv, written
# here with a fixed seed: 40 patients, 20 per arm, 7 baseline and 7 follow-up days of pain 0-10,
# fatigue 0-10 and sleep quality 1-5, and a Patient Global Impression of Change 1-7 per patient).
# Independent computations: base R (aggregate, sd, pnorm, qnorm, prop.test) and pROC 1.18.0 (roc,
# coords "best" by Youden, ci.auc by DeLong).
# Run from the repository root: Rscript tests/reference/scripts/clinical_patients.R
suppressPackageStartupMessages(library(pROC))
library(jsonlite)
source("tests/reference/scripts/compare_json.R")  # write_exact_json: every number as %.17g

set.seed(20240517)
n <- 40
arm <- rep(c("treatment", "control"), each = n / 2)
true_base <- pmin(9, pmax(3, rnorm(n, 6.2, 1.2)))
true_change <- ifelse(arm == "treatment", rnorm(n, -2.4, 1.6), rnorm(n, -0.8, 1.6))
pgic <- pmin(7, pmax(1, round(4 - true_change * 0.9 + rnorm(n, 0, 0.8))))  # 1 = very much worse ... 7 = very much improved
rows <- list()
for (i in seq_len(n)) for (period in c("baseline", "followup")) for (day in 1:7) {
  mu <- true_base[i] + if (period == "followup") true_change[i] else 0
  rows[[length(rows) + 1]] <- data.frame(
    patient = sprintf("P%02d", i), arm = arm[i], period = period, day = day,
    pain = min(10, max(0, round(mu + rnorm(1, 0, 0.9)))),
    fatigue = min(10, max(0, round(mu + 0.5 + rnorm(1, 0, 1.1)))),
    sleep = min(5, max(1, round(3 - (mu - 6) / 3 + rnorm(1, 0, 0.6)))),
    pgic = pgic[i])
}
diary <- do.call(rbind, rows)
diary$pain[c(5, 90)] <- NA  # two missed diary entries
write.csv(diary, "tests/inputs/mcid/diary.csv", row.names = FALSE, quote = FALSE, na = "")

# Per-patient means of each period (missing entries skipped), in order of first appearance.
per <- function(outcome) {
  m <- aggregate(diary[[outcome]], by = list(patient = diary$patient, period = diary$period), FUN = mean, na.rm = TRUE)
  b <- m$x[m$period == "baseline"][order(m$patient[m$period == "baseline"])]
  f <- m$x[m$period == "followup"][order(m$patient[m$period == "followup"])]
  ids <- sort(unique(diary$patient))
  list(patient = ids, arm = arm[match(ids, sprintf("P%02d", seq_len(n)))], baseline = b, followup = f, change = f - b)
}
pain <- per("pain")

# Jacobson-Truax, lower is better, reliability 0.8, cut-off a from the baseline scores.
rel <- 0.8
sd0 <- sd(pain$baseline); m0 <- mean(pain$baseline)
sem <- sd0 * sqrt(1 - rel); sdiff <- sqrt(2) * sem; z <- qnorm(0.975)
rci <- pain$change / sdiff
cut_a <- m0 - 2 * sd0
cls <- ifelse(-rci > z, ifelse(pain$followup <= cut_a, "recovered", "improved"), ifelse(-rci < -z, "deteriorated", "unchanged"))
# With functional norms mean 2, SD 1.5: cut-offs b and c.
fm <- 2; fsd <- 1.5
cut_b <- fm + 2 * fsd; cut_c <- (fsd * m0 + sd0 * fm) / (sd0 + fsd)
cls_c <- ifelse(-rci > z, ifelse(pain$followup <= cut_c, "recovered", "improved"), ifelse(-rci < -z, "deteriorated", "unchanged"))

# Responders: change <= -2 (MCID 2, lower is better), per arm.
resp <- -pain$change >= 2
xt <- sum(resp[pain$arm == "treatment"]); nt <- sum(pain$arm == "treatment")
xc <- sum(resp[pain$arm == "control"]); nc <- sum(pain$arm == "control")
wt <- prop.test(xt, nt, correct = FALSE)$conf.int; wc <- prop.test(xc, nc, correct = FALSE)$conf.int
d <- xt / nt - xc / nc
newcombe <- c(d - sqrt((xt / nt - wt[1])^2 + (wc[2] - xc / nc)^2), d + sqrt((wt[2] - xt / nt)^2 + (xc / nc - wc[1])^2))

# Derivation: distribution-based on the baseline SD with reliability 0.85; anchor groups; ROC on PGIC >= 5.
pg <- sapply(pain$patient, function(p) diary$pgic[diary$patient == p][1])
groups <- aggregate(pain$change, by = list(level = pg), FUN = function(v) c(n = length(v), mean = mean(v), sd = if (length(v) > 1) sd(v) else NA))
improved <- pg >= 5
score <- -pain$change
r <- roc(response = improved, predictor = score, levels = c(FALSE, TRUE), direction = "<", quiet = TRUE)
best <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
ci <- ci.auc(r, method = "delong")
var_delong <- var(r, method = "delong")

out <- list(
  generated_by = "tests/reference/scripts/clinical_patients.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  proc_version = as.character(packageVersion("pROC")),
  pain = list(patient = pain$patient, arm = pain$arm, baseline = pain$baseline, followup = pain$followup),
  rci = list(reliability = rel, sd = sd0, mean = m0, sem = sem, s_diff = sdiff, rci = rci, cutoff_a = cut_a,
             cutoff_b = cut_b, cutoff_c = cut_c, class_a = cls, class_c = cls_c, functional_mean = fm, functional_sd = fsd),
  responders = list(mcid = 2, treatment = c(xt, nt), control = c(xc, nc), wilson_treatment = wt, wilson_control = wc,
                    rd = d, rd_ci = newcombe, nnt = 1 / d),
  distribution = list(sd = sd0, reliability = 0.85, sem = sd0 * sqrt(0.15), mdc95 = qnorm(0.975) * sqrt(2) * sd0 * sqrt(0.15)),
  anchor = list(level = groups$level, n = groups$x[, "n"], mean = groups$x[, "mean"], sd = groups$x[, "sd"]),
  roc = list(cases = sum(improved), controls = sum(!improved), thresholds = best$threshold,
             sensitivity = best$sensitivity, specificity = best$specificity, auc = as.numeric(auc(r)),
             auc_se = sqrt(var_delong), auc_ci = c(ci[1], ci[3]), mcid = -best$threshold))
write_exact_json(out, "tests/reference/fixtures/clinical_patients.json")
