from dataclasses import dataclass

import pytest

from extractor._canonical import parse_vocabulary, skill_name, vocabulary
from extractor.reading import skills as skill_reader
from extractor.reading.skills import technologies_in_line


@dataclass
class _Names:
    required: list[str]
    preferred: list[str]


def find_skills(text: str) -> _Names:
    skills = skill_reader.find_skills(text)
    return _Names([f.value for f in skills.required], [f.value for f in skills.preferred])


def test_every_spelling_in_the_vocabulary_maps_to_its_canonical_name():
    vocab = parse_vocabulary("# comment\n\nKubernetes | k8s\n~Go | golang\n")
    assert [(s.written, s.name, s.ordinary_word) for s in vocab.spellings] == [
        ("Kubernetes", "Kubernetes", False),
        ("k8s", "Kubernetes", False),
        ("Go", "Go", True),
        ("golang", "Go", False),
    ]
    assert vocab.names_by_key == {"kubernetes": "Kubernetes", "k8s": "Kubernetes", "go": "Go", "golang": "Go"}


def test_the_shipped_vocabulary_has_no_spelling_twice():
    keys = [s.written.casefold() for s in vocabulary().spellings]
    assert len(keys) == len(set(keys))
    assert skill_name("K8S") == "Kubernetes" and skill_name("Postgres") == "PostgreSQL"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Cloud infra platforms e.g. GCP, AWS, Azure", ["Google Cloud", "AWS", "Azure"]),
        ("Proficiency in Typescript, Python, Go etc", ["TypeScript", "Python", "Go"]),
        ("Experience with **Python** or **Rust**.", ["Python", "Rust"]),
        ("durable workflow platforms like Temporal", ["Temporal"]),
        ("Node.js and C++ and C#", ["Node.js", "C++", "C#"]),
        ("Full-Stack Engineer (Angular/NestJS)", ["Angular", "NestJS"]),
        ("JavaScript, not Java; Ruby on Rails and Ruby", ["JavaScript", "Java", "Ruby on Rails", "Ruby"]),
        ("Sichere Anwendung von DATEV, Lexware und SAP S/4HANA", ["DATEV", "Lexware", "SAP"]),  # business software
        ("Maîtrise de l'AS400, de Canva et de MS Project", ["AS/400", "Canva", "Microsoft Project"]),
        ("Pipelines in Azure DevOps, deployments on OpenShift", ["Azure DevOps", "OpenShift"]),
    ],
)
def test_technologies_are_found_by_any_spelling(line, names):
    assert technologies_in_line(line) == names


@pytest.mark.parametrize(
    "line",
    [
        "Go-to-market engineer, let's go",  # the verb, and a hyphenated word
        "Relief Chef de Partie wanted",  # a chef, not the tool
        "Strong ownership; excel at communication",  # lowercase everyday words
        "(Optional) Access to BYOD for iOS development",  # "Access" starts a clause, not a list of tools
        "Apply at https://github.com/acme/jobs",  # names inside links are not skills
        "Our R&D team",
    ],
)
def test_everyday_words_and_links_are_not_technologies(line):
    assert "Go" not in technologies_in_line(line)
    assert not {"Chef", "Excel", "Access", "GitHub", "R"} & set(technologies_in_line(line))


def test_a_nice_to_have_section_makes_its_technologies_preferred():
    text = """## What You Bring
* 5+ years with Python and PostgreSQL
### Nice to Have:
* IaC tools like Terraform
* Container orchestration e.g. K8s
## Benefits
We use Slack and Docker daily."""
    skills = find_skills(text)
    assert skills.required == ["Python", "PostgreSQL", "Docker"]
    assert skills.preferred == ["Terraform", "Kubernetes"]


def test_a_clause_that_calls_a_technology_a_plus_makes_it_preferred():
    skills = find_skills("Requirements:\n- Strong Java; Kotlin is a plus\n- Spring Boot (AWS experience desirable)")
    assert skills.required == ["Java", "Spring Boot"]
    assert skills.preferred == ["Kotlin", "AWS"]


def test_a_swedish_clause_that_says_gladly_makes_its_technologies_preferred():
    skills = find_skills("Krav:\n* Java\nDu får också gärna ha erfarenhet av Docker och Kubernetes.")
    assert (skills.required, skills.preferred) == (["Java"], ["Docker", "Kubernetes"])


def test_a_header_tag_list_does_not_outrank_the_bonus_section():
    text = (
        "**Skills:** Python, Rust, Kubernetes\n## What You Have\n- 5+ years backend\n## Bonus Points\n- Python or Rust"
    )
    skills = find_skills(text)
    assert skills.required == ["Kubernetes"] and skills.preferred == ["Python", "Rust"]


def test_a_requirement_outranks_a_preference_for_the_same_technology():
    skills = find_skills(
        "Required Skills:\n- Strong experience with Flutter (React Native acceptable, Flutter preferred)"
    )
    assert skills.required == ["Flutter"] and skills.preferred == ["React Native"]


def test_customers_investors_and_application_material_are_not_skills():
    text = "Used by Figma, Webflow and Salesforce.\nBacked by OpenAI.\nSend your CV and GitHub profile.\nWe use Go and Rust."
    assert find_skills(text).required == ["Go", "Rust"]


def test_a_text_without_technologies_has_no_skills():
    skills = find_skills("Relief Chef de Partie, Croydon. Must have NVQ level 2 and food hygiene certificate.")
    assert (skills.required, skills.preferred) == ([], [])


def test_the_longest_spelling_wins_where_two_overlap():
    assert technologies_in_line("JavaScript and Java, Golang, Ruby on Rails") == ["JavaScript", "Java", "Go", "Ruby on Rails"]


def test_a_character_that_case_folds_longer_does_not_shift_what_is_found():
    assert technologies_in_line("Straße: Python, Docker") == ["Python", "Docker"]
    technologies_in_line("ßßC")  # the hypothesis suite's case: no IndexError
