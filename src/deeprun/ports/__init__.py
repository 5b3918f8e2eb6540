"""Protocols for every boundary (LLM, store, workspace, sandbox, database, clock, ids).

Services depend on these; adapters implement them; tests use fakes from tests/doubles/.
"""
