"""Allow ``python -m foistats``."""

from foistats.cli.entry import main

main()
