"""``python -m incilens.cli``: the same command as the ``incilens`` console script."""

from __future__ import annotations

import sys

from incilens.cli import main

sys.exit(main())
