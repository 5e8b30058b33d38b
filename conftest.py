"""Root conftest: the suite's behaviour lives in the plugin, not here."""

pytest_plugins = ["caldasa_conformance.plugin"]
