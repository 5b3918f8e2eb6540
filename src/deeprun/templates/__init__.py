"""Jinja2 templates of the generated backend: data, loaded as package resources."""
