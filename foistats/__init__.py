"""foistats: turn police FOI returns into one tidy, traceable dataset.

A small library with a thin Typer CLI on top, in packages that show the pipeline:
``model`` (shared vocabulary) <- ``intake`` (files -> tidy rows) <- ``campaign``
(the request and its clock) <- ``analysis`` (align, rise, rank, check) <- ``publish``
(tables, CSV/JSON, exports, charts) <- ``cli``. See docs/architecture.md.
"""

__version__ = "0.1.0"
