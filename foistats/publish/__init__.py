"""Results out, for people and scripts: `render` turns a Result into a Rich table, CSV,
JSON or Markdown (messages to stderr, data to stdout), `files` writes atomically,
`tidy_file` writes the tidy dataset, `export` builds Datawrapper CSV and the xlsx for
editors, `chart` the terminal bar chart and images, `import_report` the import report.
It may import analysis, campaign, intake and model, never the CLI.
"""
