"""`python -m caldasa_reference ...` is the same as `caldasa-reference ...`."""

from __future__ import annotations

import sys

from caldasa_reference.cli import main

sys.exit(main())
