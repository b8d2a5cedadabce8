# Reference values for include/trialstats/claims/: statcheck 1.4.0 (Debian r-cran-statcheck) on
# reported statistics, one string at a time, with its default settings (two-tailed, alpha = .05,
# pEqualAlphaSig = TRUE, pZeroError = TRUE), and once more with OneTailedTxt = TRUE after the words
# "one-tailed" to see whether a one-tailed reading makes a result consistent.
# Strings that statcheck does not find (semicolons, "≤", "≥", lowercase n, χ², "r = …, n = …",
# z at the start of a text, Markdown italics) or mis-reads (exponent p-values, whose decimals it
# counts on the mantissa) get their expected values from statcheck's own rules (process_stats) on
# the numbers written in the string, listed here by hand.
# Run from the repository root: Rscript tests/reference/scripts/check_statcheck.R
suppressPackageStartupMessages(library(statcheck))
source("tests/reference/scripts/compare_json.R")
ns <- asNamespace("statcheck")

found <- c(
  "t(28) = 2.20, p = .036", "t(28) = 2.20, p = .04", "t(28) = 2.20, p = .02", "t(28) = 2.20, p = .06",
  "t(28) = 1.20, p < .05", "t(28) = 2.20, p < .05", "t(28) = 2.20, p > .05", "t(45.3) = 2.1, p = .04",
  "t (28) = \u22122.20, p = .036", "t(28) = -2.20, p = .036", "t(100) = 3.5, p = .001", "t(100) = 3.5, p < .001",
  "t(12) = 0.5, p = .63", "t(12) = 0.5, p = .50", "t(28) = 2.20, ns", "t(28) = 1.20, ns",
  "F(2, 45) = 3.2, p = .05", "F(1, 20) = 4.35, p = .05", "F(1, 20) = 4.35, p < .05", "F(3, 120) = 12.4, p < .001",
  "F(3, 120) = 2.4, p = .01", "F(1, 58) = 6.02, p = .017", "F(2, 30) = 0.95, p = .40", "F(1, 20) = 0.00, p = .99",
  "r(92) = -.62, p < .001", "r(92) = \u2212.62, p < .001", "r(30) = .35, p = .05", "r(30) = .35, p = .03",
  "r(48) = .21, p = .14", "r(48) = -0.21, p = .04", "\u03c72(1, N = 100) = 4.5, p = .03", "chi2(2) = 10.1, p < .01",
  "X2(3) = 7.2, p = .07", "\u03c72(1) = 3.84, p = .05", "\u03c72(4) = 15.2, p = .004", "\u03c72(4) = 15.2, p = .04",
  "chi2(1, N = 1,273) = 12.3, p < .001", "Results: z = 2.3, p = .02", "Results: Z = 1.96, p = .05",
  "Results: z = \u22123.10, p = .002", "Results: z = 1.50, p = .02", "as shown, t(20) = 1, p = .33",
  "t(28) = 2.20, p = .000", "t(15) = 2.95, p = .01", "F(2, 45) = 3.20, p = .051", "t(28) = 2.2, p = .035",
  "t(28) = 2.20, p = .018", "r(40) = .30, p = .03", "Results: z = 1.75, p = .04"
)

# Strings statcheck misses or mis-reads: the numbers as written (p_dec counts the decimals of the
# p-value written out in full, e.g. 3.6e-2 = .036 has 3).
extra <- list(
  list(text = "t(28) = 2.20; p = .036", type = "t", df1 = NA, df2 = 28, value = 2.20, test_dec = 2, comp = "=", p = .036, p_dec = 3),
  list(text = "t(20) = 2.2, p \u2264 .05", type = "t", df1 = NA, df2 = 20, value = 2.2, test_dec = 1, comp = "<", p = .05, p_dec = 2, written = "<="),
  list(text = "F(2, 45) = 1.2, p \u2265 .05", type = "F", df1 = 2, df2 = 45, value = 1.2, test_dec = 1, comp = ">", p = .05, p_dec = 2, written = ">="),
  list(text = "\u03c72(1, n = 100) = 4.5, p = .03", type = "Chi2", df1 = 1, df2 = NA, value = 4.5, test_dec = 1, comp = "=", p = .03, p_dec = 2),
  list(text = "t(28) = 2.20, p = 3.6e-2", type = "t", df1 = NA, df2 = 28, value = 2.20, test_dec = 2, comp = "=", p = .036, p_dec = 3),
  list(text = "r = \u22120.62, n = 94, p < 0.001", type = "r", df1 = NA, df2 = 92, value = -0.62, test_dec = 2, comp = "<", p = .001, p_dec = 3),
  list(text = "\u03c7\u00b2(1) = 4.5, p = .03", type = "Chi2", df1 = 1, df2 = NA, value = 4.5, test_dec = 1, comp = "=", p = .03, p_dec = 2),
  list(text = "z = 2.3, p = .02", type = "Z", df1 = NA, df2 = NA, value = 2.3, test_dec = 1, comp = "=", p = .02, p_dec = 2),
  list(text = "F(1, 20) = 4.35; p < .05", type = "F", df1 = 1, df2 = 20, value = 4.35, test_dec = 2, comp = "<", p = .05, p_dec = 2),
  list(text = "r = .30, N = 50, p = .03", type = "r", df1 = NA, df2 = 48, value = .30, test_dec = 2, comp = "=", p = .03, p_dec = 2),
  list(text = "*t*(28) = 2.20, *p* = .036", type = "t", df1 = NA, df2 = 28, value = 2.20, test_dec = 2, comp = "=", p = .036, p_dec = 3),
  list(text = "\u03c7^2(2) = 6.1, p = .047", type = "Chi2", df1 = 2, df2 = NA, value = 6.1, test_dec = 1, comp = "=", p = .047, p_dec = 3),
  list(text = "r = .25, n = 60; p = .01", type = "r", df1 = NA, df2 = 58, value = .25, test_dec = 2, comp = "=", p = .01, p_dec = 2),
  list(text = "t(40) = 2.10, p = 4.2e-2", type = "t", df1 = NA, df2 = 40, value = 2.10, test_dec = 2, comp = "=", p = .042, p_dec = 3),
  list(text = "t(40) = 2.10, p = 1.2e-5", type = "t", df1 = NA, df2 = 40, value = 2.10, test_dec = 2, comp = "=", p = 1.2e-5, p_dec = 6)
)

process <- function(type, value, df1, df2, p, comp, p_dec, test_dec, one_tailed_txt = FALSE) {
  ns$process_stats(test_type = type, test_stat = value, df1 = df1, df2 = df2, reported_p = p, p_comparison = comp,
                   test_comparison = "=", p_dec = p_dec, test_dec = test_dec, OneTailedInTxt = one_tailed_txt,
                   two_tailed = TRUE, alpha = 0.05, pZeroError = TRUE, pEqualAlphaSig = TRUE,
                   OneTailedTxt = one_tailed_txt, OneTailedTests = FALSE)
}
type_name <- c(t = "t", F = "F", r = "r", Chi2 = "chi2", Z = "z")
dfs <- function(type, df1, df2) {
  if (type == "Z") list() else if (type == "F") list(df1, df2) else if (type == "Chi2") list(df1) else list(df2)
}

cases <- list()
for (s in found) {
  r <- statcheck(s, messages = FALSE)
  stopifnot(!is.null(r), nrow(r) == 1)
  r1 <- suppressMessages(statcheck(paste("In a one-tailed test,", s), OneTailedTxt = TRUE, messages = FALSE))
  cases[[length(cases) + 1]] <- list(
    text = s, source = "statcheck 1.4.0: statcheck(text)", test = unname(type_name[r$test_type]),
    df = dfs(r$test_type, r$df1, r$df2), value = r$test_value,
    p_comparison = r$p_comp, p_value = if (r$p_comp == "ns") NA else r$reported_p,
    computed_p = r$computed_p, consistent = !r$error, decision_error = r$decision_error,
    one_tailed_consistent = r$error && !r1$error)
}
for (e in extra) {
  miss <- suppressMessages(capture.output(r <- statcheck(e$text, messages = FALSE)))
  two <- process(e$type, e$value, e$df1, e$df2, e$p, e$comp, e$p_dec, e$test_dec)
  one <- process(e$type, e$value, e$df1, e$df2, e$p, e$comp, e$p_dec, e$test_dec, one_tailed_txt = TRUE)
  cases[[length(cases) + 1]] <- list(
    text = e$text,
    source = if (is.null(r)) "statcheck 1.4.0 does not find it; statcheck's process_stats on the numbers written"
             else if (r$error == two$error) "statcheck 1.4.0: statcheck(text)"
             else sprintf("statcheck 1.4.0 reads p with %d decimals; statcheck's process_stats with the decimals written out",
                          as.integer(attr(regexpr("\\.\\d+", sub(".*p = ", "", e$text)), "match.length") - 1)),
    statcheck_found = !is.null(r), statcheck_consistent = if (is.null(r)) NA else !r$error,
    test = unname(type_name[e$type]), df = dfs(e$type, e$df1, e$df2), value = e$value,
    p_comparison = if (is.null(e$written)) e$comp else e$written, p_value = e$p,
    computed_p = two$computed_p, consistent = !two$error, decision_error = two$decision_error,
    one_tailed_consistent = two$error && !one$error)
}

out <- list(source = "statcheck", statcheck_version = as.character(packageVersion("statcheck")),
            r_version = R.version.string, alpha = 0.05, cases = cases)
write_exact_json(out, "tests/reference/fixtures/check_statcheck.json")
cat(length(cases), "cases\n")
