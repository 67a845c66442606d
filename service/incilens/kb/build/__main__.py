"""``python -m incilens.kb.build``: rebuild the packaged knowledge base from the datasets."""

from __future__ import annotations

import sys

from incilens.kb.build import main

sys.exit(main())
