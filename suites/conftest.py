"""Suite fixtures live in the plugin (`caldasa_conformance.fixtures.*`); this file stays thin."""
