"""The outer ring: the CLI today; the HTTP API and the worker later. One composition root."""
