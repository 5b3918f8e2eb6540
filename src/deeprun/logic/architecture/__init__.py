"""Static rules over a generated project: structure, code, imports and the Dockerfile."""
