"""`python -m caldasa_conformance`: the same as the `caldasa-conformance` console script."""

from __future__ import annotations

import sys

from caldasa_conformance.cli import main

sys.exit(main())
