"""Planning a spec with a language model: the capability table, the prompt, reading answers."""
