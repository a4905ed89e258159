"""One reader per file format, each turning a file into `foistats.intake.grid.Workbook`.

Readers only read: the guard has checked the file before a reader runs, and detection,
tidying and the evidence rules come after, the same for every format. A new format is a
new module here plus a line in `foistats.intake.read.read_workbook`.
"""
