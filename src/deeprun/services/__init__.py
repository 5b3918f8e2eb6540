"""Use cases: compose logic with ports. Entry points call these, never logic directly."""
