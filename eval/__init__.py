"""Gold Q&A suites run through the real assistant, scored with maintained IR metrics."""
