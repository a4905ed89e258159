"""Files in, tidy rows out. `read` is the one door: the `guard` package checks the bytes
(what the file really is, whether it is safe to parse), one module per format under
`readers/` turns it into cell grids (`grid`), `detect` finds the table in a grid,
`tidy` turns it into rows with provenance (with `records` for record-level files and
`bulk` for long tables), `pipeline` walks paths and keeps going past a bad file, `report`
holds what happened to each file and sheet, `inspect` shows a sheet as the importer
sees it, and `dataset` loads a tidy dataset back. It may import only `foistats.model`.
"""
