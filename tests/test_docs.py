"""The documentation names every setting, so a user can find each one."""

from pathlib import Path

from extractor.config import Settings

ROOT = Path(__file__).parent.parent


def _environment_names():
    """The variable each setting is read from: its group's prefix and its name, or the first name it is read under."""
    for group in Settings.model_fields.values():
        prefix = group.annotation.model_config["env_prefix"]
        for name, option in group.annotation.model_fields.items():
            yield option.validation_alias.choices[0] if option.validation_alias else f"{prefix}{name}".upper()


def test_env_example_and_readme_list_every_setting():
    names = set(_environment_names())
    assert len(names) == 28
    example = {line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    assert names == example
    readme = (ROOT / "README.md").read_text()
    assert [name for name in sorted(names) if name not in readme] == []


def test_the_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[local,serve,ray,test]' && .venv/bin/python -m pytest"
    assert command in readme and command in ci


def test_the_readme_shows_cache_info_and_clear_as_two_commands_not_a_pipe():
    readme = (ROOT / "README.md").read_text()
    assert "cache info |" not in readme  # a real pipe: it would clear the cache
    assert "extractor cache info " in readme and "extractor cache clear " in readme
