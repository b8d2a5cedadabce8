# Reference values for meta/binary_pooling.hpp: Mantel-Haenszel (OR, RR, RD) and Peto pooling.
# Run from the repository root:
#   Rscript tests/reference/scripts/mh_binary_pooling.R
# writes tests/reference/fixtures/mh_binary_pooling.json
suppressMessages(library(metafor))
suppressMessages(library(jsonlite))

# Every number written with 17 significant digits (jsonlite alone stops at 15).
exact <- function(x) {
  if (is.list(x)) return(lapply(x, exact))
  if (is.numeric(x)) {
    s <- ifelse(is.na(x), "null", sprintf("%.17g", x))
    return(structure(if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]"), class = "json"))
  }
  x
}

tables <- function(ai, bi, ci, di) list(ai = as.numeric(ai), bi = as.numeric(bi), ci = as.numeric(ci), di = as.numeric(di))
from_n <- function(ai, n1i, ci, n2i) tables(ai, n1i - ai, ci, n2i - ci)

datasets <- list()
datasets[["dat.bcg"]] <- with(dat.bcg, tables(tpos, tneg, cpos, cneg))
datasets[["dat.collins1985a"]] <- with(dat.collins1985a, from_n(b.xti, nti, b.xci, nci))
datasets[["dat.nielweise2007"]] <- with(dat.nielweise2007, from_n(ai, n1i, ci, n2i))
for (tab in sort(unique(as.character(dat.yusuf1985$table)))) {
  d <- dat.yusuf1985[dat.yusuf1985$table == tab, ]
  datasets[[paste0("dat.yusuf1985 table ", tab)]] <- with(d, from_n(ai, n1i, ci, n2i))
}
datasets[["dat.hine1989"]] <- with(dat.hine1989, from_n(ai, n1i, ci, n2i))
datasets[["dat.lee2004"]] <- with(dat.lee2004, from_n(ai, n1i, ci, n2i))
datasets[["dat.li2007"]] <- with(dat.li2007, from_n(ai, n1i, ci, n2i))

# Option sets: metafor's defaults, and non-default settings that exercise every branch.
option_sets <- list(
  default = list(add = 1/2, to = "only0", drop00 = TRUE, correct = TRUE, level = 95),
  mh_add_only0 = list(add = c(1/2, 1/2), to = c("only0", "only0"), drop00 = c(TRUE, TRUE), correct = FALSE, level = 90),
  add_all = list(add = c(1, 1/2), to = c("all", "if0all"), drop00 = c(FALSE, FALSE), correct = TRUE, level = 99)
)

num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NA_real_ else unname(as.numeric(x))

mh_case <- function(name, d, measure, opt_name) {
  o <- option_sets[[opt_name]]
  fit <- rma.mh(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di, measure = measure,
                add = o$add, to = o$to, drop00 = o$drop00, correct = o$correct, level = o$level)
  fit_nc <- rma.mh(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di, measure = measure,
                   add = o$add, to = o$to, drop00 = o$drop00, correct = FALSE, level = o$level)
  fit_c <- rma.mh(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di, measure = measure,
                  add = o$add, to = o$to, drop00 = o$drop00, correct = TRUE, level = o$level)
  list(dataset = name, method = "MH", measure = measure, options = opt_name, data = d,
       call = sprintf("rma.mh(measure='%s', add=c(%s), to=c(%s), drop00=c(%s), correct=%s, level=%s)", measure,
                      paste(fit$add, collapse = ","), paste0("'", fit$to, "'", collapse = ","),
                      paste(fit$drop00, collapse = ","), o$correct, o$level),
       expected = list(
         estimate = num(fit$beta), se = num(fit$se), z = num(fit$zval), p = num(fit$pval),
         ci_lower = num(fit$ci.lb), ci_upper = num(fit$ci.ub),
         k = fit$k, k_yi = fit$k.yi, q = num(fit$QE), q_p = num(fit$QEp), i2 = num(fit$I2), h2 = num(fit$H2),
         cmh_corrected = num(fit_c$MH), cmh_corrected_p = num(fit_c$MHp),
         cmh_uncorrected = num(fit_nc$MH), cmh_uncorrected_p = num(fit_nc$MHp),
         tarone = num(fit$TA), tarone_p = num(fit$TAp), breslow_day = num(fit$BD), breslow_day_p = num(fit$BDp),
         k_pos = num(fit$k.pos),
         weights = unname(as.numeric(weights(fit))),
         yi = unname(as.numeric(fit$yi.f)), vi = unname(as.numeric(fit$vi.f))))
}

peto_case <- function(name, d, opt_name) {
  o <- option_sets[[opt_name]]
  fit <- rma.peto(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di, add = o$add, to = o$to, drop00 = o$drop00,
                  level = o$level)
  list(dataset = name, method = "PETO", measure = "OR", options = opt_name, data = d,
       call = sprintf("rma.peto(add=c(%s), to=c(%s), drop00=c(%s), level=%s)",
                      paste(fit$add, collapse = ","), paste0("'", fit$to, "'", collapse = ","),
                      paste(fit$drop00, collapse = ","), o$level),
       expected = list(
         estimate = num(fit$beta), se = num(fit$se), z = num(fit$zval), p = num(fit$pval),
         ci_lower = num(fit$ci.lb), ci_upper = num(fit$ci.ub),
         k = fit$k, k_yi = fit$k.yi, k_pos = fit$k.pos, q = num(fit$QE), q_p = num(fit$QEp),
         i2 = num(fit$I2), h2 = num(fit$H2),
         weights = unname(as.numeric(weights(fit))),
         yi = unname(as.numeric(fit$yi.f)), vi = unname(as.numeric(fit$vi.f))))
}

cases <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]
  for (opt_name in names(option_sets)) {
    for (measure in c("OR", "RR", "RD")) cases[[length(cases) + 1]] <- mh_case(name, d, measure, opt_name)
    cases[[length(cases) + 1]] <- peto_case(name, d, opt_name)
  }
}

out <- list(
  generator = "tests/reference/scripts/mh_binary_pooling.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  option_sets = option_sets,
  cases = cases)
writeLines(toJSON(exact(out), auto_unbox = TRUE, null = "null", na = "null", json_verbatim = TRUE),
           "tests/reference/fixtures/mh_binary_pooling.json")
cat("wrote", length(cases), "cases\n")
