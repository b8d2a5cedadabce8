# Reference values of R's cor.test (Pearson, Spearman, Kendall) on simulated pairs with and without
# ties, n from 5 to 500, every alternative; and the t test / Fisher-z interval of r = -0.62, n = 94.
# Run from the repository root: Rscript tests/reference/scripts/corr_cortest.R
# Writes tests/reference/fixtures/corr_cortest.json.
library(jsonlite)
set.seed(20260601)
cases <- list()
add_case <- function(id, x, y, method, alternative = "two.sided", exact = NULL, continuity = FALSE) {
  ct <- suppressWarnings(cor.test(x, y, method = method, alternative = alternative, exact = exact,
                                  continuity = continuity, conf.level = 0.95))
  n <- length(x)
  est <- unname(ct$estimate)
  ci <- if (!is.null(ct$conf.int)) as.numeric(ct$conf.int) else NULL
  # Rank coefficients: cor.test gives no interval; Fisher z with Fieller et al. (1957) variances,
  # and Bonett & Wright (2000) for Spearman, computed here from the formulas (docs/methods.md).
  fz <- function(r, se) {
    q <- if (alternative == "two.sided") qnorm(0.975) else qnorm(0.95)
    lo <- tanh(atanh(r) - q * se); hi <- tanh(atanh(r) + q * se)
    if (alternative == "less") lo <- -1
    if (alternative == "greater") hi <- 1
    c(lo, hi)
  }
  if (method == "spearman") {
    ci <- fz(est, sqrt(1.06 / (n - 3)))
    ci_bw <- fz(est, sqrt((1 + est^2 / 2) / (n - 3)))
  } else ci_bw <- NULL
  if (method == "kendall" && n > 4) ci <- fz(est, sqrt(0.437 / (n - 4)))
  ties <- any(duplicated(x)) || any(duplicated(y))
  cases[[length(cases) + 1]] <<- list(
    id = id, method = method, alternative = alternative,
    exact = if (is.null(exact)) "auto" else if (exact) "always" else "never",
    continuity = continuity, ties = ties, x = x, y = y, n = n,
    estimate = est, statistic = unname(ct$statistic), statistic_name = names(ct$statistic),
    df = if (is.null(ct$parameter)) NULL else unname(ct$parameter),
    p = ct$p.value, ci = ci, ci_bonett_wright = ci_bw)
}
for (n in c(5, 7, 9, 10, 12, 20, 30, 49, 50, 75, 120, 500)) {
  x <- round(rnorm(n), 6)
  y <- round(0.4 * x + rnorm(n), 6)
  xt <- round(x * 2) / 2          # ties
  yt <- round(y * 2) / 2
  for (m in c("pearson", "spearman", "kendall")) {
    add_case(sprintf("%s_n%d", m, n), x, y, m)
    if (m != "pearson") add_case(sprintf("%s_ties_n%d", m, n), xt, yt, m)
  }
  if (n %in% c(7, 10, 30, 120)) for (alt in c("less", "greater")) for (m in c("pearson", "spearman", "kendall")) {
    add_case(sprintf("%s_%s_n%d", m, alt, n), x, y, m, alt)
    add_case(sprintf("%s_ties_%s_n%d", m, alt, n), xt, yt, m, alt)
  }
  if (n %in% c(20, 120)) {
    add_case(sprintf("spearman_never_n%d", n), x, y, "spearman", exact = FALSE)
    add_case(sprintf("kendall_never_n%d", n), x, y, "kendall", exact = FALSE)
    add_case(sprintf("spearman_cc_n%d", n), xt, yt, "spearman", exact = FALSE, continuity = TRUE)
    add_case(sprintf("kendall_cc_n%d", n), xt, yt, "kendall", exact = FALSE, continuity = TRUE)
  }
}
# Anti-correlated small sample: exact tails on the other side.
x <- c(1.2, 2.3, 3.1, 4.8, 5.0, 6.7, 7.1, 8.4)
y <- c(9.1, 8.0, 8.2, 6.5, 5.9, 4.4, 4.6, 2.0)
for (m in c("pearson", "spearman", "kendall")) add_case(sprintf("%s_negative_n8", m), x, y, m)

# The article: r = -0.62 with n = 94.
r <- -0.62; n <- 94; df <- n - 2
t <- r * sqrt(df / (1 - r^2))
article <- list(r = r, n = n, t = t, df = df, p = 2 * pt(-abs(t), df),
                ci = tanh(atanh(r) + c(-1, 1) * qnorm(0.975) / sqrt(n - 3)))

out <- list(generator = "tests/reference/scripts/corr_cortest.R", r_version = R.version.string,
            cases = cases, article = article)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "null"),
           "tests/reference/fixtures/corr_cortest.json")
