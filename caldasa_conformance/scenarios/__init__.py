"""Scenario builders: the fixed situations the rule tests in `suites/` build, one module per class.

The state machines in `workflows/` explore; these builders set up the one example a fixed rule test needs
(events, orders, tickets), track it for cleanup and read it back. Reads check only the predicted answer
(`check_answer`); the rules themselves are judged by `caldasa_conformance.oracles`.
"""
