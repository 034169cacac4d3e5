"""``motionqa bench``: motionqa over real HTTP, motionqa in-process and a default LangChain pipeline.

Everything runs in one command on one machine with the gold suite's questions, so the numbers
are comparable; see ``runner.run_bench`` for the phases and ``report`` for the output.
"""
