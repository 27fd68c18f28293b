"""The audit rules; importing this package registers them all."""

from jjnlp.audit.rules import arithmetic, coherence, text

__all__ = ["arithmetic", "coherence", "text"]
