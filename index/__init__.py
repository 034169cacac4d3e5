"""Turns the motion into a searchable index: parse, chunk, embed, persist."""
