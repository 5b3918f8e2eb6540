"""Jinja2 templates of the generated backend. Data only; loaded by package resource, not imported."""
