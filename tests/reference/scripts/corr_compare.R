# Reference values for partial correlations, comparisons of correlations, p-value adjustment and
# Oldham's correlation. Run from the repository root: Rscript tests/reference/scripts/corr_compare.R
# Writes tests/reference/fixtures/corr_compare.json.
#   partial: from the inverse of the correlation matrix, -P[1,2]/sqrt(P[1,1] P[2,2]) (a different route
#            from the residual regression of the library), t on n-2-k df, Fisher z with 1/sqrt(n-3-k);
#   independent comparisons and Williams' t: psych::r.test; Zou's (2007) intervals and Steiger's (1980)
#            Z from the papers' equations, written out below;
#   p.adjust: stats::p.adjust; Oldham: cor.test(post - pre, (pre + post)/2).
library(jsonlite)
library(psych)
set.seed(20260602)

fz <- function(r, n_eff, level = 0.95) tanh(atanh(r) + c(-1, 1) * qnorm((1 + level) / 2) / sqrt(n_eff - 3))

partial <- list()
add_partial <- function(id, n, k, method = "pearson") {
  z <- matrix(rnorm(n * k), n, k)
  x <- round(z %*% runif(k) + rnorm(n), 6)
  y <- round(0.5 * x + z %*% runif(k) + rnorm(n), 6)
  z <- round(z, 6)
  m <- cbind(x, y, z)
  if (method == "spearman") m <- apply(m, 2, rank)
  P <- solve(cor(m))
  r <- -P[1, 2] / sqrt(P[1, 1] * P[2, 2])
  df <- n - 2 - k
  t <- r * sqrt(df / (1 - r^2))
  partial[[length(partial) + 1]] <<- list(id = id, method = method, x = as.numeric(x), y = as.numeric(y),
    controls = lapply(seq_len(k), function(j) z[, j]), n = n, estimate = r, statistic = t, df = df,
    p = 2 * pt(-abs(t), df), ci = fz(r, n - k))
}
add_partial("pearson_n30_k1", 30, 1)
add_partial("pearson_n60_k2", 60, 2)
add_partial("pearson_n200_k3", 200, 3)
add_partial("spearman_n40_k1", 40, 1, "spearman")

zou_ind <- function(r1, n1, r2, n2) {
  i1 <- fz(r1, n1); i2 <- fz(r2, n2)
  c(r1 - r2 - sqrt((r1 - i1[1])^2 + (i2[2] - r2)^2), r1 - r2 + sqrt((i1[2] - r1)^2 + (r2 - i2[1])^2))
}
independent <- list()
for (a in list(c(0.6, 50, 0.3, 70), c(-0.70, 47, -0.45, 47), c(0.1, 200, 0.35, 150), c(0.5, 100, 0.5, 100))) {
  rt <- r.test(n = a[2], r12 = a[1], r34 = a[3], n2 = a[4])
  independent[[length(independent) + 1]] <- list(r1 = a[1], n1 = a[2], r2 = a[3], n2 = a[4], z = rt$z,
                                                  p = rt$p, ci = zou_ind(a[1], a[2], a[3], a[4]))
}

dependent <- list()
for (a in list(c(0.4, 0.2, 0.5, 103), c(0.396, 0.179, 0.088, 66), c(-0.62, -0.30, 0.45, 94), c(0.2, 0.5, 0.1, 315))) {
  r12 <- a[1]; r13 <- a[2]; r23 <- a[3]; n <- a[4]
  rt <- r.test(n = n, r12 = r12, r13 = r13, r23 = r23)
  rbar <- (r12 + r13) / 2
  psi <- r23 * (1 - 2 * rbar^2) - 0.5 * rbar^2 * (1 - 2 * rbar^2 - r23^2)
  s <- psi / (1 - rbar^2)^2
  Z <- (atanh(r12) - atanh(r13)) * sqrt(n - 3) / sqrt(2 - 2 * s)
  i1 <- fz(r12, n); i2 <- fz(r13, n)
  cc <- ((r23 - r12 * r13 / 2) * (1 - r12^2 - r13^2 - r23^2) + r23^3) / ((1 - r12^2) * (1 - r13^2))
  ci <- c(r12 - r13 - sqrt((r12 - i1[1])^2 + (i2[2] - r13)^2 - 2 * cc * (r12 - i1[1]) * (i2[2] - r13)),
          r12 - r13 + sqrt((i1[2] - r12)^2 + (r13 - i2[1])^2 - 2 * cc * (i1[2] - r12) * (r13 - i2[1])))
  dependent[[length(dependent) + 1]] <- list(r_jk = r12, r_jh = r13, r_kh = r23, n = n, williams_t = rt$t,
    williams_p = rt$p, steiger_z = Z, steiger_p = 2 * pnorm(-abs(Z)), ci = ci)
}

p <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5, 1e-5, 0.9, 0.03)
adjust <- list(p = p, holm = p.adjust(p, "holm"), BH = p.adjust(p, "BH"), bonferroni = p.adjust(p, "bonferroni"))

pre <- round(rnorm(40, 10, 2), 4); post <- round(0.6 * pre + rnorm(40, 5, 2.5), 4)
ot <- cor.test(post - pre, (pre + post) / 2)
coupled <- cor.test(post - pre, pre)
oldham <- list(pre = pre, post = post, estimate = unname(ot$estimate), statistic = unname(ot$statistic),
               p = ot$p.value, ci = as.numeric(ot$conf.int), coupled_estimate = unname(coupled$estimate))

out <- list(generator = "tests/reference/scripts/corr_compare.R", r_version = R.version.string,
            psych_version = as.character(packageVersion("psych")), partial = partial,
            independent = independent, dependent = dependent, adjust = adjust, oldham = oldham)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "null"),
           "tests/reference/fixtures/corr_compare.json")
