"""lay-summaries: a static-site generator for plain-language summaries of medical research."""

__version__ = "0.1.0"
