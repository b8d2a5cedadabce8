# Reference values for bootstrap intervals and the repeated-measures correlation.
# Run from the repository root: Rscript tests/reference/scripts/corr_boot_rmcorr.R
# Writes tests/reference/fixtures/corr_boot_rmcorr.json.
#   bootstrap: boot 1.3 (boot, empinf(type = "jack"), boot.ci(type = c("perc", "bca"))) on replicates
#     drawn by R; the library's bootstrap_intervals is given the same replicates and leave-one-out values.
#   rmcorr: the package is not in Debian, so the values come from the ANCOVA that defines the method
#     (Bakdash & Marusich 2017): lm(y ~ factor(subject) + x), type-III sums of squares from drop1(),
#     r = sign(b)·sqrt(SS_x/(SS_x + SS_res)), the F test's p, and psych::r.con(r, df + 2) for the CI
#     (the rmcorr package's interval since 0.5).
library(jsonlite)
library(boot)
library(psych)
set.seed(20260604)

boots <- list()
add_boot <- function(id, n, R, level, method) {
  x <- round(rnorm(n), 6); y <- round(0.5 * x + rnorm(n), 6)
  d <- data.frame(x, y)
  stat <- function(d, i) cor(d$x[i], d$y[i], method = method)
  b <- boot(d, stat, R = R)
  L <- empinf(b, type = "jack")
  ci <- boot.ci(b, conf = level, type = c("perc", "bca"), L = L)
  jack <- sapply(seq_len(n), function(i) cor(x[-i], y[-i], method = method))
  boots[[length(boots) + 1]] <<- list(id = id, method = method, level = level, x = x, y = y, t0 = b$t0,
    t = as.numeric(b$t), jackknife = jack, percentile = ci$percent[4:5], bca = ci$bca[4:5])
}
add_boot("pearson_n40_R999", 40, 999, 0.95, "pearson")
add_boot("spearman_n30_R1999_90", 30, 1999, 0.90, "spearman")
add_boot("kendall_n25_R500", 25, 500, 0.95, "kendall")

rm_cases <- list()
add_rm <- function(id, subject, x, y) {
  f <- factor(subject)
  m <- lm(y ~ f + x)
  d1 <- drop1(m, ~., test = "F")
  ssx <- d1$`Sum of Sq`[3]; ssr <- d1$RSS[1]
  r <- as.numeric(sign(coef(m)["x"]) * sqrt(ssx / (ssx + ssr)))
  df <- m$df.residual
  rm_cases[[length(rm_cases) + 1]] <<- list(id = id, subject = as.integer(f), x = x, y = y, estimate = r, df = df,
    p = d1$`Pr(>F)`[3], ci = as.numeric(r.con(r, df + 2, p = 0.95)), subjects = nlevels(f))
}
v <- read.csv("tests/inputs/corr/visits.csv")
add_rm("visits", v$subject, v$hf, v$fatigue)
subject <- rep(1:12, times = c(2, 3, 4, 2, 5, 3, 3, 2, 4, 6, 2, 3))
lvl <- rnorm(12)[subject]
x <- round(lvl + rnorm(length(subject)), 5); y <- round(-lvl + 0.3 * x + rnorm(length(subject)), 5)
add_rm("unbalanced", subject, x, y)

out <- list(generator = "tests/reference/scripts/corr_boot_rmcorr.R", r_version = R.version.string,
            boot_version = as.character(packageVersion("boot")), psych_version = as.character(packageVersion("psych")),
            bootstrap = boots, rmcorr = rm_cases)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "null"),
           "tests/reference/fixtures/corr_boot_rmcorr.json")
