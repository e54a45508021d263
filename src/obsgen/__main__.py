"""`python -m obsgen` runs the command line."""

from obsgen.cli import main

main()
