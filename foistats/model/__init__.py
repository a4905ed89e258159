"""The shared vocabulary every stage speaks: the tidy schema (one row per number, with its
provenance), the force registry (names, GSS codes, aliases, regions), periods (financial,
June–May, quarters, months) and values/symbols (`<5`, `*`, `[c]`), FOI exemptions, and the
errors with their exit codes. It imports nothing else of the package, so everything
above can rely on it without pulling in readers, polars-heavy analysis or the CLI.
"""
