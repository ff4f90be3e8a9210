"""Canonical forms of the values a record carries: pure functions, no I/O.

The record's validators and the eval scorer both use these, so a value the model
spells one way and a gold label spells another compare as the same thing.
"""

from __future__ import annotations

import re
import unicodedata

import pycountry

# Names pycountry does not resolve but postings use all the time.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "u.k.": "GB",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "russia": "RU",
    "turkey": "TR",
    "south korea": "KR",
    "korea": "KR",
    "uae": "AE",
    "deutschland": "DE",
    "holland": "NL",
    "the netherlands": "NL",
}

# City abbreviations common in postings.
_CITY_ALIASES = {
    "sf": "San Francisco",
    "nyc": "New York",
    "ny": "New York",
    "new york city": "New York",
    "la": "Los Angeles",
    "dc": "Washington",
}

# Currency symbols and words; "$" alone is read as USD, as the contract's examples do.
_CURRENCY_ALIASES = {
    "$": "USD",
    "us$": "USD",
    "usd$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "₹": "INR",
    "rs": "INR",
    "rupees": "INR",
    "¥": "CNY",
    "rmb": "CNY",
    "yuan": "CNY",
    "ca$": "CAD",
    "c$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "chf.": "CHF",
}

# Technology names as postings write them -> the canonical spelling. Keys are folded
# with `skill_key`, so "K8s", "k8s" and "K8S" share one entry.
_SKILL_ALIASES = {
    "k8s": "Kubernetes",
    "kubernetes": "Kubernetes",
    "postgres": "PostgreSQL",
    "postgresql": "PostgreSQL",
    "psql": "PostgreSQL",
    "gcp": "Google Cloud",
    "google cloud platform": "Google Cloud",
    "google cloud": "Google Cloud",
    "aws": "AWS",
    "amazon web services": "AWS",
    "azure": "Azure",
    "microsoft azure": "Azure",
    "typescript": "TypeScript",
    "ts": "TypeScript",
    "javascript": "JavaScript",
    "js": "JavaScript",
    "golang": "Go",
    "go": "Go",
    "node": "Node.js",
    "nodejs": "Node.js",
    "node.js": "Node.js",
    "react": "React",
    "reactjs": "React",
    "react.js": "React",
    "next.js": "Next.js",
    "nextjs": "Next.js",
    "vue": "Vue.js",
    "vuejs": "Vue.js",
    "vue.js": "Vue.js",
    "python": "Python",
    "python3": "Python",
    "rust": "Rust",
    "java": "Java",
    "c++": "C++",
    "cpp": "C++",
    "c#": "C#",
    "csharp": "C#",
    ".net": ".NET",
    "dotnet": ".NET",
    "ruby on rails": "Ruby on Rails",
    "rails": "Ruby on Rails",
    "ror": "Ruby on Rails",
    "docker": "Docker",
    "terraform": "Terraform",
    "redis": "Redis",
    "mysql": "MySQL",
    "mongodb": "MongoDB",
    "mongo": "MongoDB",
    "bigquery": "BigQuery",
    "bigtable": "Bigtable",
    "graphql": "GraphQL",
    "sql": "SQL",
    "html": "HTML",
    "css": "CSS",
    "html5": "HTML",
    "css3": "CSS",
    "excel": "Excel",
    "microsoft excel": "Excel",
    "ms excel": "Excel",
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "pytorch": "PyTorch",
    "tensorflow": "TensorFlow",
    "kafka": "Kafka",
    "apache kafka": "Kafka",
    "spark": "Spark",
    "apache spark": "Spark",
    "linux": "Linux",
    "git": "Git",
    "github": "GitHub",
    "gevent": "gevent",
    "google pub/sub": "Google Pub/Sub",
    "pub/sub": "Google Pub/Sub",
    "pubsub": "Google Pub/Sub",
    "temporal": "Temporal",
    "llms": "LLMs",
    "llm": "LLMs",
    "ms sql server": "SQL Server",
    "microsoft sql server": "SQL Server",
    "mssql": "SQL Server",
    "sql server": "SQL Server",
    "visual studio.net": "Visual Studio",
    "visual studio .net": "Visual Studio",
    "wpf": "Windows Presentation Foundation",
    "windows presentation foundations": "Windows Presentation Foundation",
    "wcf": "Windows Communication Foundation",
    "windows communications foundation": "Windows Communication Foundation",
    "windows communications foundations": "Windows Communication Foundation",
    ".net framework": ".NET Framework",
    "asp.net": "ASP.NET",
    "microsoft access": "Access",
    "ms access": "Access",
    "microsoft word": "Word",
    "ms word": "Word",
    "microsoft powerpoint": "PowerPoint",
    "ms powerpoint": "PowerPoint",
    "spring boot": "Spring Boot",
    "springboot": "Spring Boot",
    "nestjs": "NestJS",
    "nest.js": "NestJS",
    "angular": "Angular",
    "angularjs": "Angular",
    "flutter": "Flutter",
    "react native": "React Native",
}

_PUNCT_RUN = re.compile(r"[\W_]+", re.UNICODE)


def fold(value: str) -> str:
    """Case-fold, NFKC-normalize and collapse every run of punctuation and space.

    This is the contract's "normalized string equality": two strings are the same
    value when their folds are equal.
    """
    text = unicodedata.normalize("NFKC", value).casefold()
    return _PUNCT_RUN.sub(" ", text).strip()


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 code for a country name or code; ValueError if unknown."""
    key = value.strip()
    alias = _COUNTRY_ALIASES.get(key.casefold())
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        pass
    try:
        matches = pycountry.countries.search_fuzzy(key)
    except LookupError:
        matches = []
    if len(matches) == 1:
        return matches[0].alpha_2
    raise ValueError(f"{value!r} is not a country; give an ISO 3166-1 alpha-2 code such as 'US', 'GB' or 'DE'")


def city_name(value: str) -> str:
    """The full name of a city written as an abbreviation ("SF", "NYC"); others as written."""
    return _CITY_ALIASES.get(value.strip().casefold(), value.strip())


def city_spellings(name: str) -> list[str]:
    """The city's name and the abbreviations that stand for it."""
    return [name, *(alias for alias, full in _CITY_ALIASES.items() if full == name)]


def currency_code(value: str) -> str:
    """ISO 4217 code for a currency code, symbol or name; ValueError if unknown."""
    key = value.strip()
    alias = _CURRENCY_ALIASES.get(key.casefold())
    if alias:
        return alias
    try:
        return pycountry.currencies.lookup(key).alpha_3
    except LookupError:
        raise ValueError(
            f"{value!r} is not a currency; give an ISO 4217 code such as 'USD', 'EUR' or 'GBP'"
        ) from None


def skill_key(value: str) -> str:
    """Fold a technology name for comparison; punctuation stays ("C++" is not "C#")."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def skill_name(value: str) -> str:
    """The canonical spelling of a technology name ("K8s" -> "Kubernetes").

    Names the alias table does not know are kept as written, trimmed.
    """
    cleaned = " ".join(value.split()).strip(" .,;:")
    return _SKILL_ALIASES.get(skill_key(cleaned), cleaned)


def unique_skills(values: list[str]) -> list[str]:
    """Canonical names, first occurrence kept, duplicates (by folded name) dropped."""
    seen: set[str] = set()
    result = []
    for value in values:
        name = skill_name(value)
        key = skill_key(name)
        if key and key not in seen:
            seen.add(key)
            result.append(name)
    return result


def aliases_of(name: str) -> list[str]:
    """Every spelling the alias table maps onto the canonical ``name`` (folded keys)."""
    return [alias for alias, canonical_name in _SKILL_ALIASES.items() if canonical_name == name]


def is_known_skill(name: str) -> bool:
    return name in _SKILL_ALIASES.values()


def country_mentioned(code: str, text: str) -> bool:
    """True when the text names the country: by name or alias (any case) or by code (as written)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return False
    names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
    names |= {alias for alias, alias_code in _COUNTRY_ALIASES.items() if alias_code == code}
    folded = f" {fold(text)} "
    if any(fold(name) and f" {fold(name)} " in folded for name in names):
        return True
    return re.search(rf"(?<![\w]){code}|{country.alpha_3}(?![\w])", text) is not None
