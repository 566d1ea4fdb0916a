"""``python -m casestd``: the same as the ``casestd`` command."""

import sys

from casestd.cli import main

sys.exit(main())
