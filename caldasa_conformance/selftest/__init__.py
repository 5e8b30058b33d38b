"""Self-test of the suite: clean reference runs, the fault kill matrix, and operation/requirement coverage.

`caldasa-conformance selftest`:
1. runs the whole suite (`--profile reference`) against the fault-free embedded reference server once per
   seed (`--seeds`, default 3); any failure there is a false positive, i.e. a bug of the suite;
2. for each fault listed by `python -m caldasa_reference faults --json` (all, `--faults a,b`, or
   `--subset ci`), runs only the class that can detect it (the broken requirement's `class` in
   openapi/requirements.yaml) with `--reference-fault NAME`, at the given budget (every fault has a fixed
   scenario test that catches it at any budget);
3. counts the fault as detected only when a failure names the broken requirement (`detection.detect`);
4. writes the JSON (`clean{runs, failed}`, `faults{name: {requirement, detected, by, seconds}}`) and prints
   the kill matrix. Exit 0 only when the clean runs are clean and every selected fault is detected.

The `ci` subset (`plan.CI_SUBSET`) is one fault per class that has faults, about 3-4 minutes with one seed on
a 2-core machine: `caldasa-conformance selftest --seeds 1 --subset ci`. The full matrix (every fault, three
seeds) is `tox -e selftest`.

`caldasa-conformance coverage` (module `coverage`) prints operations and requirements → tests, faults, or
the exemption in openapi/ineligible.yaml; tests/meta enforces it.
"""
