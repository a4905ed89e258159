"""An FOI campaign: what was asked, of whom and when. `file` reads and checks the
`foistats.toml` beside the returns (measure, comparison year, forces asked, recipes that
fix an import), `clock` says when a reply is due under the Act, and `inputs` loads a
campaign's returns with its recipes applied. It may import `foistats.intake` and
`foistats.model`, never analysis, publishing or the CLI.
"""
