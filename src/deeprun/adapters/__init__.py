"""Real implementations of ports: providers, git, subprocess sandbox, embedded PostgreSQL."""
