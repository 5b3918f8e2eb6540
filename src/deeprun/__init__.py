"""deeprun: a deterministic backend compiler with an agent run platform around it."""

__version__ = "0.1.0"
