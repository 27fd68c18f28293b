"""The audit rules; importing this package registers them all."""

from jjnlp.audit.rules import arithmetic, coherence, tables, text

__all__ = ["arithmetic", "coherence", "tables", "text"]
