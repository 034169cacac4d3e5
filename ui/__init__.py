"""Front doors to the assistant: the Gradio chat and the ``motionqa`` command line."""
