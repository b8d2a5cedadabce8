# Reference values of meta-regression, subgroup tests and exact permutation tests:
# metafor 3.8.1 rma.uni(yi, vi, mods, method, test), anova(btt), permutest(exact = TRUE) on metadat datasets.
# Run from the repository root: Rscript tests/reference/scripts/reg_regression.R
# Writes tests/reference/fixtures/reg_regression.json.
suppressPackageStartupMessages({ library(metafor); library(metadat); library(jsonlite) })
invisible(Sys.setlocale("LC_COLLATE", "C"))  # factor levels in byte order, as trialstats sorts them

# Converge to the optimum: ML/REML/EB Fisher scoring and the PM/PMM root finder far below the default rules.
ctrl <- list(threshold = 1e-12, tol = 1e-14, maxiter = 10000)

complete <- function(d, cols) d[stats::complete.cases(d[, cols, drop = FALSE]), , drop = FALSE]

datasets <- list()
add <- function(name, d, mods, models) {
  d <- complete(d, c("yi", "vi", mods))
  m <- lapply(mods, function(c) {
    v <- d[[c]]
    if (is.character(v)) list(type = "categorical", values = v) else list(type = "numeric", values = as.numeric(v))
  })
  names(m) <- mods
  datasets[[name]] <<- list(data = list(yi = as.numeric(d$yi), vi = as.numeric(d$vi), moderators = m),
                            frame = d, models = models)
}

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
add("dat.bcg", bcg, c("ablat", "year", "alloc"), list(
  list(mods = c("ablat")), list(mods = c("ablat", "year")), list(mods = c("alloc")),
  list(mods = c("alloc"), ref = list(alloc = "random")), list(mods = c("alloc", "ablat"), intercept = FALSE),
  list(mods = c("ablat", "alloc"), btt = c(3, 4))))
add("dat.bangertdrowns2004", dat.bangertdrowns2004, c("length", "wic", "feedback", "info", "pers", "imag", "meta", "grade"),
    list(list(mods = c("length")), list(mods = c("length", "wic", "feedback", "info", "pers", "imag", "meta"), btt = c(2, 3)),
         list(mods = c("grade"))))
col <- escalc(measure = "OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.colditz1994)
add("dat.colditz1994", col, c("ablat", "year", "alloc"), list(list(mods = c("ablat", "alloc")), list(mods = c("year"))))
add("dat.raudenbush1985", dat.raudenbush1985, c("weeks", "setting", "tester"),
    list(list(mods = c("weeks")), list(mods = c("setting", "tester")), list(mods = c("tester"), intercept = FALSE)))
mol <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = dat.molloy2014)
add("dat.molloy2014", mol, c("meanage", "quality", "controls", "design"),
    list(list(mods = c("meanage")), list(mods = c("quality", "design")), list(mods = c("controls"))))
add("dat.hackshaw1998", dat.hackshaw1998, c("year", "country", "design"),
    list(list(mods = c("year")), list(mods = c("country")), list(mods = c("design", "year"), ref = list(design = "cohort"))))
mcd <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = dat.mcdaniel1994)
add("dat.mcdaniel1994", mcd, c("type", "struct"), list(list(mods = c("type", "struct"))))
cur <- escalc(measure = "ROM", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.curtis1998)
cur$co2 <- cur$co2.elev - cur$co2.ambi
add("dat.curtis1998", cur, c("time", "co2", "fungrp", "method"),
    list(list(mods = c("time", "co2")), list(mods = c("fungrp", "method"))))

methods <- c("EE", "DL", "HE", "HS", "HSk", "SJ", "ML", "REML", "EB", "PM", "PMM")
num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NULL else as.numeric(x)

fit_case <- function(dname, model, method, test) {
  info <- datasets[[dname]]
  d <- info$frame
  if (!is.null(model$ref)) for (v in names(model$ref)) d[[v]] <- relevel(factor(d[[v]]), ref = model$ref[[v]])
  intercept <- is.null(model$intercept) || model$intercept
  f <- as.formula(paste("~", paste(model$mods, collapse = " + "), if (!intercept) "- 1" else ""))
  res <- tryCatch(suppressWarnings(rma(yi, vi, mods = f, data = d, method = method, test = test, control = ctrl)),
                  error = function(e) NULL)
  if (is.null(res)) return(NULL)
  out <- list(dataset = dname, mods = model$mods, intercept = intercept, ref = model$ref, method = method, test = test,
              names = rownames(res$beta), beta = c(res$beta), se = res$se, zval = res$zval, pval = res$pval,
              ci_lb = res$ci.lb, ci_ub = res$ci.ub, QM = res$QM, QMdf = res$QMdf, QMp = res$QMp, QE = res$QE,
              QEp = res$QEp, tau2 = res$tau2, se_tau2 = num(res$se.tau2), I2 = res$I2, H2 = res$H2, R2 = num(res$R2),
              btt = res$btt)
  if (!is.null(model$btt)) {
    a <- anova(res, btt = model$btt)
    out$anova <- list(btt = model$btt, QM = a$QM, QMp = a$QMp)
  }
  out
}

cases <- list()
for (dname in names(datasets)) for (model in datasets[[dname]]$models) for (method in methods) for (test in c("z", "knha")) {
  r <- fit_case(dname, model, method, test)
  if (!is.null(r)) cases[[length(cases) + 1]] <- r
}

# Subgroups: a separate fit per level, the Wald-type test of the subgroup estimates (rma method = "FE" on them),
# and the mixed-effects test with a common tau² (QM of rma with mods = ~ factor(group)).
subgroup_case <- function(dname, group, method, test) {
  d <- datasets[[dname]]$frame
  levels <- sort(unique(d[[group]]))
  per <- lapply(levels, function(l) {
    s <- d[d[[group]] == l, ]
    r <- rma(yi, vi, data = s, method = method, test = test, control = ctrl)
    list(level = l, k = r$k, estimate = c(r$beta), se = r$se, tau2 = r$tau2, ci_lb = r$ci.lb, ci_ub = r$ci.ub, p = r$pval)
  })
  est <- sapply(per, function(x) x$estimate)
  se <- sapply(per, function(x) x$se)
  between <- rma(est, sei = se, method = "FE")
  common <- rma(yi, vi, mods = as.formula(paste("~ factor(", group, ")")), data = d, method = method, test = test,
                control = ctrl)
  list(dataset = dname, group = group, method = method, test = test, levels = per,
       q_between = between$QE, q_between_df = length(levels) - 1, q_between_p = between$QEp,
       common_qm = common$QM, common_df = common$QMdf, common_p = common$QMp, common_tau2 = common$tau2)
}
subgroups <- list(subgroup_case("dat.bcg", "alloc", "REML", "z"), subgroup_case("dat.bcg", "alloc", "DL", "knha"),
                  subgroup_case("dat.raudenbush1985", "tester", "REML", "z"),
                  subgroup_case("dat.molloy2014", "design", "DL", "z"),
                  subgroup_case("dat.hackshaw1998", "country", "REML", "knha"),
                  subgroup_case("dat.mcdaniel1994", "type", "ML", "z"))

# Exact permutation tests on small k.
perm_case <- function(dname, rows, mods, method, test) {
  d <- datasets[[dname]]$frame[rows, ]
  f <- as.formula(paste("~", paste(mods, collapse = " + ")))
  res <- rma(yi, vi, mods = f, data = d, method = method, test = test, control = ctrl)
  pt <- permutest(res, exact = TRUE)
  list(dataset = dname, rows = rows, mods = mods, method = method, test = test, iter = length(pt$QM.perm),
       pval = pt$pval, QMp = pt$QMp, zval = res$zval, QM = res$QM)
}
perms <- list(perm_case("dat.bcg", 1:7, "ablat", "REML", "z"), perm_case("dat.bcg", 1:7, "ablat", "DL", "knha"),
              perm_case("dat.bcg", 1:13, "alloc", "DL", "z"),
              perm_case("dat.raudenbush1985", 1:12, "tester", "REML", "z"))

datasets_out <- lapply(datasets, function(x) x$data)
fixture <- list(
  source = "tests/reference/scripts/reg_regression.R",
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."), metafor = as.character(packageVersion("metafor")),
                  metadat = as.character(packageVersion("metadat"))),
  control = ctrl, datasets = datasets_out, cases = cases, subgroups = subgroups, permutations = perms)
writeLines(toJSON(fixture, digits = I(17), auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE),
           "tests/reference/fixtures/reg_regression.json")
cat("cases:", length(cases), " subgroups:", length(subgroups), " permutation tests:", length(perms), "\n")
