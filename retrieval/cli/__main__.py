"""``python -m retrieval.cli``: the same as the ``verbatim`` command."""

import sys

from retrieval.cli.main import main

sys.exit(main())
