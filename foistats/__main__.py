"""Allow ``python -m foistats``."""

from foistats.cli import main

main()
