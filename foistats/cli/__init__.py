"""The thin command line on top: `entry` is the fast door (plain `check` answers without
Typer or polars), `app` builds the Typer app with lazily registered commands, `options`
holds the options shared by commands, and `commands/` has one module per command that
parses options, calls the library and hands the result to the one rendering layer.
It may import every stage below it; nothing imports it.
"""
