# Writes a list as JSON with every number at 17 significant digits (jsonlite stops at 15):
# numbers become verbatim "%.17g" text, non-finite numbers and NA become null, vectors of length > 1
# become arrays. Sourced by the compare_*.R and check_*.R generators.
library(jsonlite)
exact_json <- function(v) {
  if (is.list(v)) return(lapply(v, exact_json))
  if (is.numeric(v)) {
    one <- function(x) if (is.finite(x)) structure(sprintf("%.17g", x), class = "json") else NULL
    if (length(v) == 1) return(if (is.finite(v)) one(v) else NA)
    return(lapply(v, function(x) if (is.finite(x)) one(x) else NA))
  }
  v
}
write_exact_json <- function(x, path) {
  writeLines(toJSON(exact_json(x), auto_unbox = TRUE, json_verbatim = TRUE, null = "null", na = "null",
                    pretty = TRUE), path)
}
