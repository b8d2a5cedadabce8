# Reference values for trialstats::meta::pool (include/trialstats/meta/model.hpp).
#
#   Rscript tests/reference/scripts/meta_pool.R   (from the repository root)
# writes tests/reference/fixtures/meta_pool.json.
#
# Every dataset is fitted with metafor::rma.uni for every tau^2 estimator and every test (z, t, knha),
# with control threshold = 1e-12 (Fisher scoring of ML/REML/EB runs to the optimum) and tol = 1e-12
# (uniroot of PM/PMM and of the Q-profile CI of confint()), so that metafor's answers are the optimum
# itself. Prediction intervals come from predict() (default, and pi.type = "riley" for t_{k-2}).
# Non-finite values are written as strings ("NA", "NaN", "Inf", "-Inf"); I() keeps vectors of length 1 arrays.
suppressMessages({
  library(metafor)
  library(jsonlite)
})

tight <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)

datasets <- list()
add <- function(name, note, d) {
  d <- d[!is.na(d$yi) & !is.na(d$vi), ]
  datasets[[length(datasets) + 1]] <<- list(name = name, note = note, yi = I(as.numeric(d$yi)), vi = I(as.numeric(d$vi)))
}
add("bcg_rr", "dat.bcg, escalc RR", escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg))
add("normand1999_md", "dat.normand1999, escalc MD",
    escalc("MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999))
add("hackshaw1998_or", "dat.hackshaw1998, log odds ratios as given", dat.hackshaw1998)
add("li2007_or", "dat.li2007, escalc OR", escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.li2007))
add("yusuf1985_12a_or", "dat.yusuf1985 table 12a, escalc OR",
    escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.yusuf1985, subset = table == "12a"))
add("collins1985a_or", "dat.collins1985a (b.xti/nti vs b.xci/nci), escalc OR",
    escalc("OR", ai = b.xti, n1i = nti, ci = b.xci, n2i = nci, data = dat.collins1985a))
add("pritz1997_pr", "dat.pritz1997, escalc PR", escalc("PR", xi = xi, ni = ni, data = dat.pritz1997))
add("molloy2014_zcor", "dat.molloy2014, escalc ZCOR", escalc("ZCOR", ri = ri, ni = ni, data = dat.molloy2014))
add("raudenbush1985_smd", "dat.raudenbush1985, yi/vi as given", dat.raudenbush1985)
add("bangertdrowns2004_smd", "dat.bangertdrowns2004, yi/vi as given", dat.bangertdrowns2004)
add("linde2005_rr", "dat.linde2005, escalc RR", escalc("RR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.linde2005))
add("lehmann2018_prereg", "dat.lehmann2018, pre-registered studies (metafor's default Fisher scoring diverges under REML)",
    subset(dat.lehmann2018, Preregistered == "Pre-Registered"))
add("yusuf1985_6_tau2_zero", "dat.yusuf1985 table 6, escalc OR: Q < k - 1, tau^2 on the 0 boundary",
    escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.yusuf1985, subset = table == "6"))
bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
add("bcg_k2", "dat.bcg rows 1-2, escalc RR (k = 2)", bcg[1:2, ])
add("equal_effects", "every yi equal to 0.25, vi of dat.bcg rows 1-6", data.frame(yi = rep(0.25, 6), vi = bcg$vi[1:6]))
add("bcg_k1", "dat.bcg row 1, escalc RR (k = 1)", bcg[1, ])

methods <- c("EE", "DL", "HE", "HS", "HSk", "SJ", "ML", "REML", "EB", "PM", "PMM", "GENQ", "fixed")
tests <- c("z", "t", "knha")
fixed_tau2 <- 0.05

fit_one <- function(ds, method, test, level = 95) {
  w <- 1 / sqrt(ds$vi)  # GENQ weights
  warns <- character(0)
  args <- list(yi = ds$yi, vi = ds$vi, test = test, level = level, control = tight)
  if (method == "fixed") {
    args$method <- "REML"; args$tau2 <- fixed_tau2
  } else {
    args$method <- method
  }
  if (method == "GENQ") args$weights <- w
  stepadj <- 1
  res <- withCallingHandlers(try(do.call(rma.uni, args), silent = TRUE),
                             warning = function(wn) { warns <<- c(warns, conditionMessage(wn)); invokeRestart("muffleWarning") })
  if (inherits(res, "try-error")) {
    # metafor's Fisher scoring does not converge: halve its steps to obtain the optimum.
    stepadj <- 0.5
    args$control$stepadj <- stepadj
    res <- withCallingHandlers(do.call(rma.uni, args),
                               warning = function(wn) { warns <<- c(warns, conditionMessage(wn)); invokeRestart("muffleWarning") })
  }
  pr <- predict(res)
  out <- list(method = method, test = test, level = level / 100, metafor_stepadj = stepadj,
              estimate = c(res$beta), se = res$se, statistic = res$zval, p = res$pval,
              ci = c(res$ci.lb, res$ci.ub), pi = c(pr$pi.lb, pr$pi.ub),
              tau2 = res$tau2, se_tau2 = res$se.tau2, i2 = res$I2, h2 = res$H2, qe = res$QE, qep = res$QEp,
              weights = I(unname(weights(res))), warnings = I(warns))
  if (method == "fixed") out$tau2_fixed <- fixed_tau2
  if (method == "GENQ") out$genq_weights <- I(w)
  if (ds$name != "bcg_k1") {
    prr <- predict(res, pi.type = "riley")
    out$pi_riley <- c(prr$pi.lb, prr$pi.ub)
  }
  if (!(method %in% c("EE", "fixed")) && length(ds$yi) > 1) {
    ci <- confint(res, type = "QP", control = list(tol = 1e-12))
    out$tau2_ci <- unname(ci$random["tau^2", 2:3])
    out$i2_ci <- unname(ci$random["I^2(%)", 2:3])
    out$h2_ci <- unname(ci$random["H^2", 2:3])
  }
  if (method %in% c("ML", "REML", "EB") && test == "z" && level == 95) {
    # metafor's own stopping rule (threshold 1e-5, maxiter 100, stepadj 1) with default control.
    d <- try(rma.uni(ds$yi, ds$vi, method = method), silent = TRUE)
    out$metafor_default_converged <- !inherits(d, "try-error")
    out$metafor_default_tau2 <- if (inherits(d, "try-error")) NA else d$tau2
  }
  out
}

out <- list(
  generator = "tests/reference/scripts/meta_pool.R",
  r_version = as.character(getRversion()),
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  control = tight, fixed_tau2 = fixed_tau2,
  datasets = lapply(datasets, function(ds) {
    fits <- list()
    for (m in methods) for (t in tests) fits[[length(fits) + 1]] <- fit_one(ds, m, t)
    if (ds$name %in% c("bcg_rr", "normand1999_md")) {  # another confidence level
      for (m in c("EE", "DL", "REML", "PM", "fixed")) for (t in tests) fits[[length(fits) + 1]] <- fit_one(ds, m, t, level = 90)
    }
    c(ds, list(fits = fits))
  }))

writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "string", pretty = FALSE),
           "tests/reference/fixtures/meta_pool.json")
