"""Generator of openapi/caldasa.yaml (run `python -m tools.contract.build`)."""
