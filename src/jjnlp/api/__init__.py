"""The analysts' HTTP API and search page over the store (``jjnlp serve``)."""
