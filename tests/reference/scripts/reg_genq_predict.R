# Reference values of three meta-regression features against metafor 3.8.1 on metadat 1.2.0 datasets:
#  - the generalised Q estimator with user weights (rma.uni(yi, vi, weights, mods, method = "GENQ", test));
#  - metafor's default stopping rule of Fisher scoring with moderators (rma.uni with the default control:
#    threshold 1e-5 on the absolute change of tau²), next to the converged optimum, which differs from it;
#  - predict.rma: fitted values with CI and PI at new moderator values, z and Knapp–Hartung;
#  - predict.rma at moderator values given by name (numbers and factor levels, with and without an intercept,
#    another reference level), the model-matrix row built by R's model.matrix from those values;
#  - permutest(exact = TRUE) of a GENQ meta-regression on the first 7 BCG trials (2520 distinct permutations).
# Run from the repository root: Rscript tests/reference/scripts/reg_genq_predict.R
# Writes tests/reference/fixtures/reg_genq_predict.json.
suppressPackageStartupMessages({ library(metafor); library(metadat); library(jsonlite) })

converged <- list(threshold = 1e-12, tol = 1e-14, maxiter = 10000)
num <- function(x) if (is.null(x) || length(x) == 0 || all(is.na(x))) NULL else as.numeric(x)

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg$n <- with(bcg, tpos + tneg + cpos + cneg)
mol <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = dat.molloy2014)
mol <- mol[!is.na(mol$meanage), ]
bd <- dat.bangertdrowns2004[!is.na(dat.bangertdrowns2004$length), ]
r85 <- dat.raudenbush1985
bcg7 <- bcg[1:7, ]
frames <- list(dat.bcg = bcg, dat.molloy2014 = mol, dat.bangertdrowns2004 = bd, dat.raudenbush1985 = r85,
               dat.bcg.1to7 = bcg7)
columns <- list(dat.bcg = c("ablat", "year", "n", "alloc"), dat.bcg.1to7 = c("ablat", "n"), dat.molloy2014 = c("meanage", "ni"),
                dat.bangertdrowns2004 = c("length", "ni"), dat.raudenbush1985 = c("weeks"))
datasets <- lapply(names(frames), function(d) {
  f <- frames[[d]]
  out <- list(yi = as.numeric(f$yi), vi = as.numeric(f$vi))
  for (c in columns[[d]]) out[[c]] <- if (is.character(f[[c]])) f[[c]] else as.numeric(f[[c]])
  out
})
names(datasets) <- names(frames)

summary_of <- function(res) list(
  names = rownames(res$beta), beta = c(res$beta), se = res$se, zval = res$zval, pval = res$pval, ci_lb = res$ci.lb,
  ci_ub = res$ci.ub, QM = res$QM, QMdf = res$QMdf, QMp = res$QMp, QE = res$QE, QEp = res$QEp, tau2 = res$tau2,
  se_tau2 = num(res$se.tau2), I2 = res$I2, H2 = res$H2, R2 = num(res$R2), weights = as.numeric(weights(res)),
  fitted = as.numeric(fitted(res)))

formula_of <- function(mods) as.formula(paste("~", paste(mods, collapse = " + ")))

# GENQ: weights = a column, or "1/vi".
genq <- list()
genq_case <- function(d, mods, weights, test) {
  f <- frames[[d]]
  w <- if (weights == "1/vi") 1 / f$vi else f[[weights]]
  res <- rma(yi, vi, weights = w, mods = formula_of(mods), data = f, method = "GENQ", test = test)
  genq[[length(genq) + 1]] <<- c(list(dataset = d, mods = mods, weight_column = weights, test = test), summary_of(res))
}
for (test in c("z", "knha")) {
  for (w in c("1/vi", "n")) {
    genq_case("dat.bcg", "ablat", w, test)
    genq_case("dat.bcg", c("ablat", "year"), w, test)
  }
  genq_case("dat.molloy2014", "meanage", "ni", test)
  genq_case("dat.molloy2014", "meanage", "1/vi", test)
  genq_case("dat.bangertdrowns2004", "length", "ni", test)
}

# Subgroups with GENQ: each level pooled with its own studies' weights, the Wald-type Q between the
# subgroup estimates, and the common-tau² test (QM of the GENQ meta-regression on the factor).
subgroups <- list()
subgroup_case <- function(d, column, weights) {
  f <- frames[[d]]
  levels <- sort(unique(f[[column]]))
  fits <- lapply(levels, function(l) rma(yi, vi, weights = f[[weights]][f[[column]] == l], method = "GENQ",
                                          data = f[f[[column]] == l, ]))
  est <- sapply(fits, function(r) c(r$beta))
  se <- sapply(fits, function(r) r$se)
  between <- rma(est, se^2, method = "EE")
  common <- rma(yi, vi, weights = f[[weights]], mods = as.formula(paste("~", column)), method = "GENQ", data = f)
  subgroups[[length(subgroups) + 1]] <<- list(
    dataset = d, column = column, weight_column = weights, levels = levels, estimate = est, se = se,
    tau2 = sapply(fits, function(r) r$tau2), Qb = between$QE, Qb_p = between$QEp, QM = common$QM, QMp = common$QMp,
    common_tau2 = common$tau2)
}
subgroup_case("dat.bcg", "alloc", "year")
subgroup_case("dat.bcg", "alloc", "n")

# Default stopping rule (control left at metafor's defaults) and the converged optimum.
stopping <- list()
stopping_case <- function(d, mods, method) {
  f <- frames[[d]]
  res <- rma(yi, vi, mods = formula_of(mods), data = f, method = method)
  opt <- rma(yi, vi, mods = formula_of(mods), data = f, method = method, control = converged)
  stopping[[length(stopping) + 1]] <<- c(list(dataset = d, mods = mods, method = method, test = "z",
                                              converged_tau2 = opt$tau2, converged_beta = c(opt$beta)),
                                         summary_of(res))
}
for (method in c("REML", "ML", "EB")) {
  stopping_case("dat.bcg", "ablat", method)
  stopping_case("dat.bcg", c("ablat", "year"), method)
  stopping_case("dat.raudenbush1985", "weeks", method)
  stopping_case("dat.molloy2014", "meanage", method)
}

# predict(): new moderator values, one row per prediction.
predictions <- list()
predict_case <- function(d, mods, method, test, newmods) {
  f <- frames[[d]]
  res <- rma(yi, vi, mods = formula_of(mods), data = f, method = method, test = test, control = converged)
  p <- predict(res, newmods = newmods)
  predictions[[length(predictions) + 1]] <<- list(
    dataset = d, mods = mods, method = method, test = test, newmods = unname(as.matrix(newmods)),
    pred = as.numeric(p$pred), se = as.numeric(p$se), ci_lb = as.numeric(p$ci.lb), ci_ub = as.numeric(p$ci.ub),
    pi_lb = as.numeric(p$pi.lb), pi_ub = as.numeric(p$pi.ub), beta = c(res$beta), tau2 = res$tau2)
}
lat <- cbind(c(0, 10, 20, 33.46, 42, 55))
for (test in c("z", "knha")) {
  predict_case("dat.bcg", "ablat", "REML", test, lat)
  predict_case("dat.bcg", "ablat", "DL", test, lat)
  predict_case("dat.bcg", c("ablat", "year"), "REML", test, cbind(c(10, 30, 50), c(1950, 1965, 1980)))
}
predict_case("dat.bcg", "ablat", "EE", "z", lat)  # metafor gives no PI for a common-effect model (pi_lb empty)
predict_case("dat.molloy2014", "meanage", "REML", "z", cbind(c(20, 40, 60, 80)))

# predict() at moderator values given by name, as `trialstats regress --predict NAME=VALUE,...` takes them:
# R's model.matrix codes the values (a text column as a factor with the data's levels in sorted order, or
# the reference level first), and predict(fit, newmods) gets that row (without the intercept's 1).
named_predictions <- list()
named_predict_case <- function(d, mods, method, test, at, intercept = TRUE, ref = list()) {
  f <- frames[[d]]
  for (m in mods) if (is.character(f[[m]])) {
    lv <- sort(unique(f[[m]]), method = "radix")  # byte order, as factor() in the C locale
    if (!is.null(ref[[m]])) lv <- c(ref[[m]], setdiff(lv, ref[[m]]))
    f[[m]] <- factor(f[[m]], levels = lv)
  }
  form <- as.formula(paste("~", paste(mods, collapse = " + "), if (intercept) "" else "- 1"))
  res <- rma(yi, vi, mods = form, data = f, method = method, test = test, control = converged)
  new <- as.data.frame(lapply(mods, function(m) {
    v <- sapply(at, function(a) a[[m]])
    if (is.factor(f[[m]])) factor(v, levels = levels(f[[m]])) else as.numeric(v)
  }), stringsAsFactors = FALSE)
  names(new) <- mods
  x <- model.matrix(form, data = new)
  stopifnot(identical(sub("(Intercept)", "intrcpt", colnames(x), fixed = TRUE), rownames(res$beta)))
  p <- predict(res, newmods = unname(if (intercept) x[, -1, drop = FALSE] else x))
  named_predictions[[length(named_predictions) + 1]] <<- list(
    dataset = d, mods = mods, intercept = intercept, ref = ref, method = method, test = test, at = at,
    names = rownames(res$beta), rows = unname(x), pred = as.numeric(p$pred), se = as.numeric(p$se),
    ci_lb = as.numeric(p$ci.lb), ci_ub = as.numeric(p$ci.ub), pi_lb = as.numeric(p$pi.lb),
    pi_ub = as.numeric(p$pi.ub), tau2 = res$tau2)
}
lat_at <- lapply(c(0, 20, 33.46, 55), function(v) list(ablat = v))
alloc_at <- list(list(ablat = 20, alloc = "random"), list(ablat = 20, alloc = "alternate"),
                 list(ablat = 40, alloc = "systematic"), list(ablat = 55, alloc = "random"))
year_at <- list(list(ablat = 10, year = 1950), list(ablat = 30, year = 1965), list(ablat = 50, year = 1980))
named_predict_case("dat.bcg", "ablat", "REML", "z", lat_at)
named_predict_case("dat.bcg", "ablat", "DL", "z", lat_at)
named_predict_case("dat.bcg", c("ablat", "alloc"), "DL", "knha", alloc_at)
named_predict_case("dat.bcg", c("ablat", "alloc"), "REML", "z", alloc_at, ref = list(alloc = "random"))
named_predict_case("dat.bcg", c("alloc", "ablat"), "DL", "z", alloc_at, intercept = FALSE)
named_predict_case("dat.bcg", c("ablat", "alloc"), "REML", "knha", alloc_at, intercept = FALSE)
named_predict_case("dat.bcg", c("ablat", "year"), "REML", "knha", year_at)
named_predict_case("dat.bcg", c("ablat", "year"), "DL", "z", year_at)
# Without an intercept, numeric moderators only: the common-effect model. metafor 3.8.1 computes QE and the
# REML and DL iterations from mean-centred yi (ymci), which equals using yi only when the design's columns
# span the constant; here they do not, and its DL and REML tau² are not the DerSimonian–Laird estimate and
# the restricted-likelihood maximum (REML: metafor 0.0771230, the maximum 0.0765279 by optimize() on the
# restricted log-likelihood). EE's coefficients and covariance do not involve ymci.
named_predict_case("dat.bcg", c("ablat", "year"), "EE", "z", year_at, intercept = FALSE)

# Exact permutation tests of a GENQ model (the weights stay with their studies, as metafor's permutest).
permutations <- list()
for (test in c("z", "knha")) {
  res <- rma(yi, vi, weights = n, mods = ~ ablat, data = bcg7, method = "GENQ", test = test)
  p <- permutest(res, exact = TRUE, progbar = FALSE)
  permutations[[length(permutations) + 1]] <- list(dataset = "dat.bcg.1to7", mods = "ablat", weight_column = "n",
                                                   test = test, permutations = nrow(p$zval.perm),
                                                   pval = as.numeric(p$pval), QMp = p$QMp)
}

out <- list(versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                            metafor = as.character(packageVersion("metafor")),
                            metadat = as.character(packageVersion("metadat"))),
            datasets = datasets, genq = genq, subgroups = subgroups, permutations = permutations, stopping = stopping, predict = predictions,
            predict_values = named_predictions)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, null = "null", na = "null", matrix = "rowmajor"),
           "tests/reference/fixtures/reg_genq_predict.json")
