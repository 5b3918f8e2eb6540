"""``python -m deeprun`` runs the CLI."""

from deeprun.entrypoints.cli import main

main()
