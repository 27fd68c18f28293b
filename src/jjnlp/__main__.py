"""``python -m jjnlp`` is the ``jjnlp`` command."""

from jjnlp.cli import main

raise SystemExit(main())
