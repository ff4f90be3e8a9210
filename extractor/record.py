"""The job-posting record: contract v1 (``shared/spec/job-posting-record.md``) as pydantic types.

Validators canonicalize what a model gets almost right (country and currency names,
skill aliases, "Full-time" for ``full_time``, a reversed salary range). What cannot be
made right raises ``ValueError`` with a message that tells the model how to fix it:
instructor sends that message back as the re-ask prompt.

Length limits are part of the JSON schema the model is constrained by, so a small model
cannot repeat a list item until it runs out of tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from extractor import _canonical as canonical

MAX_LOCATIONS = 8
MAX_SKILLS = 20
MAX_EXPERIENCE_YEARS = 50


class WorkplaceType(StrEnum):
    onsite = "onsite"
    hybrid = "hybrid"
    remote = "remote"


class EmploymentType(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    contract = "contract"
    internship = "internship"
    temporary = "temporary"


class Seniority(StrEnum):
    intern = "intern"
    junior = "junior"
    mid = "mid"
    senior = "senior"
    staff = "staff"
    principal = "principal"
    lead = "lead"
    manager = "manager"
    director = "director"
    executive = "executive"


class Period(StrEnum):
    hour = "hour"
    day = "day"
    week = "week"
    month = "month"
    year = "year"


_SYNONYMS: dict[type[StrEnum], dict[str, str]] = {
    WorkplaceType: {"on_site": "onsite", "in_office": "onsite", "office": "onsite", "fully_remote": "remote"},
    EmploymentType: {
        "fulltime": "full_time",
        "permanent": "full_time",
        "parttime": "part_time",
        "contractor": "contract",
        "freelance": "contract",
        "intern": "internship",
        "temp": "temporary",
    },
    Seniority: {
        "entry": "junior",
        "entry_level": "junior",
        "graduate": "junior",
        "sr": "senior",
        "intermediate": "mid",
        "mid_level": "mid",
        "internship": "intern",
    },
    Period: {
        "hourly": "hour",
        "hr": "hour",
        "daily": "day",
        "weekly": "week",
        "monthly": "month",
        "mo": "month",
        "yearly": "year",
        "annual": "year",
        "annually": "year",
        "annum": "year",
        "yr": "year",
    },
}


def enum_value(enum: type[StrEnum], value: Any) -> Any:
    """Map "Full-time", "On-site" or "per annum" onto the enum's own spelling."""
    if not isinstance(value, str):
        return value
    key = value.strip().lower().removeprefix("per ").replace("-", "_").replace(" ", "_")
    if not key or key in {"null", "none", "unknown", "not_specified", "unspecified", "n/a"}:
        return None
    return _SYNONYMS[enum].get(key, key)


_NOT_A_CITY = {"remote", "anywhere", "worldwide", "global", "multiple locations", "various", "unspecified"}


def _integral(value: float) -> float | int:
    return int(value) if value.is_integer() else value


Amount = Annotated[float, Field(ge=0), PlainSerializer(_integral, return_type=float | int)]


class Location(BaseModel):
    """One place the job is based in or open to."""

    model_config = ConfigDict(extra="forbid")

    city: str | None = Field(default=None, max_length=60)
    region: str | None = Field(default=None, max_length=60)
    country: str = Field(description="ISO 3166-1 alpha-2 code", max_length=60)

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        return canonical.country_code(value)

    def __str__(self) -> str:
        """The place as a person reads it: "München, Bayern, DE"."""
        return ", ".join(part for part in (self.city, self.region, self.country) if part)

    @field_validator("city", "region")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @field_validator("city")
    @classmethod
    def _city_name(cls, value: str | None) -> str | None:
        if not value or value.casefold() in _NOT_A_CITY:
            return None
        return canonical.city_name(value)


class Salary(BaseModel):
    """The stated base pay range, in full units of ``currency`` per ``period``."""

    model_config = ConfigDict(extra="forbid")

    min: Amount | None = None
    max: Amount | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code", max_length=10)
    period: Period | None = None

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str | None) -> str | None:
        return canonical.currency_code(value) if value else None

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> Any:
        return enum_value(Period, value)

    @model_validator(mode="after")
    def _range(self) -> Salary:
        # A single figure sets both ends; a reversed range is the same range.
        if self.min is None:
            self.min = self.max
        if self.max is None:
            self.max = self.min
        if self.min is not None and self.max is not None and self.min > self.max:
            self.min, self.max = self.max, self.min
        return self


def _squash(value: Any) -> Any:
    return " ".join(value.split()) or None if isinstance(value, str) else value


def _date(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        return value or None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    # Only a full date counts: "March 2026" must not become a made-up day.
    import dateparser  # a second to import: only a date that is not ISO needs it

    parsed = dateparser.parse(value, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None:
        raise ValueError(f"{value!r} is not a date; give YYYY-MM-DD, or null when the posting states none")
    return parsed.date()


def _url(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not a URL; give an http(s) link to apply at, or null")
    return value


def _only_countries(value: Any) -> Any:
    # "Remote", "Worldwide" or "Unknown" in place of a country says nothing about where the
    # job is; such an entry is dropped rather than re-asked, which small models fail anyway.
    if not isinstance(value, list):
        return value
    kept = []
    for location in value:
        country = location.get("country") if isinstance(location, dict) else None
        if isinstance(country, str):
            try:
                canonical.country_code(country)
            except ValueError:
                continue
        kept.append(location)
    return kept


def _unique_locations(value: list[Location]) -> list[Location]:
    seen: set[tuple[str | None, ...]] = set()
    unique = []
    for location in value:
        key = (location.country, canonical.fold(location.city or ""), canonical.fold(location.region or ""))
        if key not in seen:
            seen.add(key)
            unique.append(location)
    return unique


Title = Annotated[str, BeforeValidator(_squash), Field(min_length=1, max_length=120)]
Company = Annotated[Annotated[str, Field(max_length=100)] | None, BeforeValidator(_squash)]
Locations = Annotated[
    list[Location], BeforeValidator(_only_countries), AfterValidator(_unique_locations), Field(max_length=MAX_LOCATIONS)
]
SkillList = Annotated[
    list[Annotated[str, Field(max_length=40)]], AfterValidator(canonical.unique_skills), Field(max_length=MAX_SKILLS)
]
ApplyUrl = Annotated[Annotated[str, Field(max_length=500)] | None, AfterValidator(_url)]
# Optional enum fields that also take the spellings postings use ("Full-time").
Workplace = Annotated[WorkplaceType | None, BeforeValidator(functools.partial(enum_value, WorkplaceType))]
Employment = Annotated[EmploymentType | None, BeforeValidator(functools.partial(enum_value, EmploymentType))]
Level = Annotated[Seniority | None, BeforeValidator(functools.partial(enum_value, Seniority))]
PostedDate = Annotated[dt.date | None, BeforeValidator(_date)]


class JobPosting(BaseModel):
    """A job posting as structured data (contract v1)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    title: Title
    company: Company = None
    locations: Locations = Field(default_factory=list)
    workplace_type: Workplace = None
    employment_type: Employment = None
    seniority: Level = None
    salary: Salary | None = None
    equity: bool | None = None
    experience_years_min: int | None = Field(default=None, ge=0, le=MAX_EXPERIENCE_YEARS)
    required_skills: SkillList = Field(default_factory=list)
    preferred_skills: SkillList = Field(default_factory=list)
    posted_date: PostedDate = None
    apply_url: ApplyUrl = None

    @model_validator(mode="after")
    def _consistent(self) -> JobPosting:
        # A skill belongs to one list only; a salary without any figure is no salary.
        required = {canonical.skill_key(name) for name in self.required_skills}
        self.preferred_skills = [s for s in self.preferred_skills if canonical.skill_key(s) not in required]
        if self.salary is not None and self.salary.min is None:
            self.salary = None
        return self

    def to_schema_org(self) -> dict[str, Any]:
        """The record as a schema.org JobPosting (JSON-LD), the markup Google's job search reads."""
        from extractor._schema_org import write  # it builds on this module

        return write(self)


class ModelAnswer(BaseModel):
    """What the model is asked for: the fields a rule cannot read, then whether the text is a posting.

    Pay, dates, skills and the other keyword fields are read from the text by rule
    (``extractor.reading``); a small model got them wrong more often. The verdict comes
    last: asked first, small models answered "no" for real postings.
    """

    # Every key required: llama.cpp's grammar then keeps this order instead of moving
    # required keys first, and OpenAI's strict mode accepts the schema. The schema says no
    # other keys (additionalProperties: false); an answer that has some anyway has them
    # dropped (``_known_keys``) rather than fail whole.
    model_config = ConfigDict(extra="forbid")

    title: Title | None  # null for a text that is no posting
    company: Company
    locations: Locations
    seniority: Level
    is_job_posting: bool = Field(description="false when the text is not an employer offering a job")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return only_known_keys(data, cls, {"locations": Location})


def _known(value: Any, model: type[BaseModel]) -> Any:
    return {key: item for key, item in value.items() if key in model.model_fields} if isinstance(value, dict) else value


def only_known_keys(data: Any, model: type[BaseModel], nested: dict[str, type[BaseModel]]) -> Any:
    """A model's answer without the keys ``model`` does not have, also inside the ``nested`` fields'
    objects (an object, or a list of them). The JSON schema still forbids them: this is for
    answers that have them anyway, which would otherwise fail whole for a key nobody asked for."""
    data = _known(data, model)
    if not isinstance(data, dict):
        return data
    for key, inner in nested.items():
        value = data.get(key)
        if isinstance(value, list):
            data[key] = [_known(item, inner) for item in value]
        elif isinstance(value, dict):
            data[key] = _known(value, inner)
    return data


class RecordAnswer(BaseModel):
    """What a model that can read the whole posting is asked for: every field, then the verdict.

    The reconciliation (``extractor.reconcile.policy``) then holds each value to the text. A
    text that is no posting may leave every field null, the title included.
    """

    # As ``ModelAnswer``: every key required, no others in the schema, and an answer that has
    # others anyway keeps the rest.
    model_config = ConfigDict(extra="forbid")

    title: Title | None
    company: Company
    locations: Locations
    workplace_type: Workplace
    employment_type: Employment
    seniority: Level
    salary: Salary | None
    equity: bool | None
    experience_years_min: Annotated[int, Field(ge=0, le=MAX_EXPERIENCE_YEARS)] | None
    required_skills: SkillList
    preferred_skills: SkillList
    posted_date: PostedDate
    apply_url: ApplyUrl
    is_job_posting: bool = Field(description="false when the text is not an employer offering a job")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return only_known_keys(data, cls, {"locations": Location, "salary": Salary})


MAX_ROLES = 15


class RoleAnswer(BaseModel):
    """One role of a text that offers several: what is said of each role on its own."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    seniority: Level
    salary: Salary | None
    experience_years_min: Annotated[int, Field(ge=0, le=MAX_EXPERIENCE_YEARS)] | None
    required_skills: SkillList
    preferred_skills: SkillList

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return only_known_keys(data, cls, {"salary": Salary})


class RolesAnswer(RecordAnswer):
    """The whole record, and every role when the text offers several (``extract_all`` on a hosted model)."""

    roles: list[RoleAnswer] = Field(
        max_length=MAX_ROLES, description="every role in text order when the text offers more than one; else []"
    )

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return only_known_keys(data, cls, {"locations": Location, "salary": Salary, "roles": RoleAnswer})
