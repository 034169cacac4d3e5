"""Parse: the docx-to-text export of a motion into a ``Document`` (one clean text, typed spans)."""
