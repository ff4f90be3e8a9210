"""Build tests/data/schemaorg-vocabulary.json: the schema.org types the JSON-LD writer emits, with their
properties (inherited ones included), from an official release of the vocabulary.

    git clone https://github.com/schemaorg/schemaorg   # data/releases/<version>/schemaorg-current-https.jsonld
    python scripts/build_schemaorg_vocabulary.py path/to/schemaorg-current-https.jsonld 30.0

The vocabulary is schema.org's (CC BY-SA 3.0); only type and property names are kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TYPES = (
    "JobPosting", "Organization", "Place", "PostalAddress", "Country", "MonetaryAmount", "QuantitativeValue",
    "OccupationalExperienceRequirements",
)  # fmt: skip
OUT = Path(__file__).parents[1] / "tests" / "data" / "schemaorg-vocabulary.json"


def _ids(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items if isinstance(item, dict)]


def main(source: str, version: str) -> None:
    graph = json.loads(Path(source).read_text(encoding="utf-8"))["@graph"]
    parents = {node["@id"].removeprefix("schema:"): _ids(node.get("rdfs:subClassOf")) for node in graph
               if node.get("@type") == "rdfs:Class"}  # fmt: skip
    domains: dict[str, list[str]] = {}
    for node in graph:
        if node.get("@type") == "rdf:Property":
            domains[node["@id"].removeprefix("schema:")] = _ids(node.get("schema:domainIncludes"))

    def lineage(kind: str) -> set[str]:
        seen, stack = set(), [kind]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(parents.get(current, []))
        return seen

    vocabulary = {
        kind: sorted(name for name, domain in domains.items() if lineage(kind) & set(domain)) for kind in TYPES
    }
    OUT.write_text(json.dumps({"version": version, "types": vocabulary}, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(map(len, vocabulary.values()))} properties of {len(vocabulary)} types, release {version}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
