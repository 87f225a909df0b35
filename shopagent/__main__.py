"""``python -m shopagent`` == the ``shopagent`` console script."""

from shopagent.cli import main

main()
