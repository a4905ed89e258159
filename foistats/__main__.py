"""Allow ``python -m foistats``."""

from foistats.entry import main

main()
