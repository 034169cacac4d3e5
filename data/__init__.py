"""The bundled motion and its metadata, shipped as the package ``index.bundled`` (see pyproject.toml).

Add another motion as a ``.txt`` export with a ``.json`` of the same name, or point
``MOTIONQA_DATA_DIR`` at a folder of them."""
