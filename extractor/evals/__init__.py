"""The eval harness, one concern per module:

- ``run``: the cases (postings beside their gold records, split into tune and heldout) and a run over them;
- ``scoring``: each field scored by the contract, with nothing from the pipeline;
- ``report``: the JSON, table, diff and HTML reports.
"""

from pathlib import Path

DEFAULT_CASES = Path("evals") / "cases"  # the repository's cases, where the commands run from its root
