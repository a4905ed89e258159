"""foistats: turn police FOI returns into one tidy, traceable dataset.

The package is a small library with a thin Typer CLI on top (``foistats.cli``).
Data flows one way: read -> detect -> tidy -> periods/align -> compute -> render.
"""

__version__ = "0.1.0"
