"""Query: what a question asks (analysis, language) and which texts it is retrieved with (history)."""
