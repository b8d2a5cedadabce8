# Reference values for trialstats::meta sensitivity analyses (sensitivity.hpp) and small-study-effect
# methods (bias.hpp).
#
#   Rscript tests/reference/scripts/sens_metafor.R   (from the repository root)
# writes tests/reference/fixtures/sens_metafor.json.
#
# For each metadat dataset and model (REML z, DL z, REML knha, EE z), metafor 3.8.1's
# leave1out(), cumul() (input order and ordered by vi), influence() (every column, dfbs and the
# influential flag), baujat() coordinates, regtest() with model = "rma" and "lm", ranktest(),
# trimfill() (L0 and R0; side chosen by metafor, left and right) and fsn() (Rosenthal, Orwin with
# and without a target, Rosenberg).
# Every fit uses control = list(threshold = 1e-12, maxiter = 10000, tol = 1e-12), which the
# leave1out / cumul / influence / baujat refits inherit (they pass x$control on); trimfill does not
# pass the model's control on, so it is given to trimfill() explicitly (its ... reach every refit).
# Non-finite values are written as strings ("NA", "NaN", "Inf", "-Inf").
suppressMessages({
  library(metafor)
  library(jsonlite)
})

tight <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)

datasets <- list()
add <- function(name, note, d) {
  d <- d[!is.na(d$yi) & !is.na(d$vi), ]
  datasets[[length(datasets) + 1]] <<- list(name = name, note = note, yi = as.numeric(d$yi), vi = as.numeric(d$vi))
}
add("bcg_rr", "dat.bcg, escalc RR", escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg))
add("colditz1994_or", "dat.colditz1994, escalc OR", escalc("OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.colditz1994))
add("bangertdrowns2004_smd", "dat.bangertdrowns2004, yi/vi as given", dat.bangertdrowns2004)
add("raudenbush1985_smd", "dat.raudenbush1985, yi/vi as given", dat.raudenbush1985)
add("hackshaw1998_or", "dat.hackshaw1998, log odds ratios as given", dat.hackshaw1998)
add("molloy2014_zcor", "dat.molloy2014, escalc ZCOR", escalc("ZCOR", ri = ri, ni = ni, data = dat.molloy2014))
add("pritz1997_pr", "dat.pritz1997, escalc PR", escalc("PR", xi = xi, ni = ni, data = dat.pritz1997))
add("linde2005_rr", "dat.linde2005, escalc RR", escalc("RR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.linde2005))
add("egger2001_or", "dat.egger2001, escalc OR", escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.egger2001))

models <- list(list(method = "REML", test = "z"), list(method = "DL", test = "z"),
               list(method = "REML", test = "knha"), list(method = "EE", test = "z"))

refit_table <- function(x) {
  t <- as.data.frame(x)
  stat <- if ("zval" %in% names(t)) t$zval else t$tval
  p <- if ("pval" %in% names(t)) t$pval else t$pvals
  list(estimate = t$estimate, se = t$se, statistic = stat, p = p, ci_lb = t$ci.lb, ci_ub = t$ci.ub,
       q = t$Q, q_p = t$Qp, tau2 = if (is.null(t$tau2)) rep(0, nrow(t)) else t$tau2, i2 = t$I2, h2 = t$H2)
}

fit_model <- function(ds, m) {
  d <- data.frame(yi = ds$yi, vi = ds$vi)
  res <- rma(yi, vi, data = d, method = m$method, test = m$test, control = tight)
  l1 <- refit_table(leave1out(res))
  cu <- refit_table(cumul(res))
  cv <- refit_table(cumul(res, order = vi))
  inf <- influence(res)
  infl <- list(rstudent = inf$inf$rstudent, dffits = inf$inf$dffits, cook_d = inf$inf$cook.d,
               cov_r = inf$inf$cov.r, tau2_del = inf$inf$tau2.del, qe_del = inf$inf$QE.del,
               hat = inf$inf$hat, weight = inf$inf$weight, dfbs = inf$dfbs$intrcpt,
               influential = inf$is.infl)
  pdf(NULL)
  b <- baujat(res)
  dev.off()
  rt <- regtest(res, model = "rma")
  out <- list(method = m$method, test = m$test, estimate = as.numeric(res$beta), tau2 = res$tau2,
              leave1out = l1, cumul = cu, cumul_vi = cv, influence = infl,
              baujat = list(x = b$x, y = b$y),
              regtest_rma = list(statistic = rt$zval, p = rt$pval, df = if (is.null(rt$ddf) || is.na(rt$ddf)) NA else rt$ddf,
                                 slope = as.numeric(rt$fit$beta[2]), slope_se = rt$fit$se[2],
                                 limit = as.numeric(rt$est), limit_ci = c(rt$ci.lb, rt$ci.ub), tau2 = rt$fit$tau2))
  if (m$test == "z" && m$method != "EE") {
    tf <- list()
    for (est in c("L0", "R0")) for (side in c("auto", "left", "right")) {
      t <- if (side == "auto") trimfill(res, estimator = est, control = tight)
           else trimfill(res, estimator = est, side = side, control = tight)
      filled <- t$fill
      tf[[length(tf) + 1]] <- list(estimator = est, side_given = side, side = t$side, k0 = t$k0, k0_se = t$se.k0,
                                   k0_p = if (is.null(t$p.k0)) NA else t$p.k0,
                                   filled_yi = I(as.numeric(t$yi[filled])), filled_vi = I(as.numeric(t$vi[filled])),
                                   estimate = as.numeric(t$beta), se = t$se, ci = c(t$ci.lb, t$ci.ub), tau2 = t$tau2,
                                   p = t$pval, k = t$k)
    }
    out$trimfill <- tf
  }
  out
}

cases <- lapply(datasets, function(ds) {
  fits <- lapply(models, function(m) fit_model(ds, m))
  lm_t <- regtest(ds$yi, ds$vi, model = "lm")
  rk <- ranktest(ds$yi, ds$vi)
  fsn_one <- function(type, target = NULL) {
    f <- if (is.null(target)) fsn(ds$yi, ds$vi, type = type) else fsn(ds$yi, ds$vi, type = type, target = target)
    list(type = type, target_given = if (is.null(target)) NA else target, n = f$fsnum,
         p = f$pval, mean = f$meanes, target = f$target)
  }
  pet <- lm(ds$yi ~ sqrt(ds$vi), weights = 1 / ds$vi)
  peese <- lm(ds$yi ~ ds$vi, weights = 1 / ds$vi)
  coefs <- function(f) {
    s <- coef(summary(f))
    ci <- confint(f)
    list(intercept = s[1, 1], intercept_se = s[1, 2], intercept_t = s[1, 3], intercept_p = s[1, 4],
         intercept_ci = ci[1, ], slope = s[2, 1], slope_se = s[2, 2], slope_p = s[2, 4], sigma2 = summary(f)$sigma^2)
  }
  list(name = ds$name, note = ds$note, yi = I(ds$yi), vi = I(ds$vi), models = fits,
       regtest_lm = list(statistic = lm_t$zval, p = lm_t$pval, df = lm_t$ddf, slope = coef(lm_t$fit)[[2]],
                         limit = as.numeric(lm_t$est), limit_ci = c(lm_t$ci.lb, lm_t$ci.ub)),
       ranktest = list(tau = as.numeric(rk$tau), p = rk$pval),
       fsn = list(fsn_one("Rosenthal"), fsn_one("Orwin"), fsn_one("Orwin", 0.1), fsn_one("Rosenberg")),
       pet = coefs(pet), peese = coefs(peese))
})

# Kendall's test with ties and above 50 pairs: cor.test(exact = TRUE) semantics.
kx <- c(1, 2, 2, 3, 4, 5, 5, 5, 6, 7); ky <- c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3)
kt <- cor.test(kx, ky, method = "kendall", exact = TRUE)
set.seed(20261130)
lx <- rnorm(60); ly <- lx + rnorm(60)
lt <- cor.test(lx, ly, method = "kendall", exact = TRUE)
kendall <- list(list(x = I(kx), y = I(ky), tau = as.numeric(kt$estimate), p = kt$p.value),
                list(x = I(lx), y = I(ly), tau = as.numeric(lt$estimate), p = lt$p.value))

out <- list(metafor_version = as.character(packageVersion("metafor")),
            metadat_version = as.character(packageVersion("metadat")),
            r_version = paste(R.version$major, R.version$minor, sep = "."),
            control = tight, cases = cases, kendall = kendall)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "string", pretty = FALSE),
           "tests/reference/fixtures/sens_metafor.json")
