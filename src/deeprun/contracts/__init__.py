"""Pure data shared by every layer: the Spec IR, problems, errors and the envelope.

Nothing here imports anything else of ours.
"""
