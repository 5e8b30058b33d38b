"""What one pytest session of the suite shares, kept in `config.stash` (never in a module global).

The plugin resolves the configuration once in `pytest_configure` and stores it under `CONFIG_KEY`; fixtures
and the plugin's own pieces read it from there (`request.config.stash[CONFIG_KEY]`).
"""

from __future__ import annotations

import pytest

from caldasa_conformance.config import SuiteConfig

CONFIG_KEY = pytest.StashKey[SuiteConfig]()
