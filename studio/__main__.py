"""``python -m studio`` is the ``neurona`` command."""

import sys

from .cli import main

sys.exit(main())
