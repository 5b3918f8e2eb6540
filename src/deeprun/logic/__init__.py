"""Pure functions over contracts: naming, review, normalization, canonical JSON.

No clock, randomness, environment, files or network; those arrive through ports.
"""
