"""Renderers: the same records as plain text, JSON, HTML or Word."""
