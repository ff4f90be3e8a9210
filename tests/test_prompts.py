from extractor.llm.prompts import load_prompt, parse_prompt
from extractor.record import ModelAnswer


def test_the_shipped_prompt_loads_with_its_version():
    prompt = load_prompt()
    assert prompt.version.startswith("extract@2+")
    assert not prompt.text.startswith("---")


def test_the_shipped_prompt_explains_every_field_the_model_fills():
    text = load_prompt().text
    assert all(f"\n{field}: " in f"\n{text}" for field in ModelAnswer.model_fields)


def test_any_edit_changes_the_version_even_without_a_bump():
    original = parse_prompt("extract", "---\nversion: 3\n---\nExtract the posting.")
    edited = parse_prompt("extract", "---\nversion: 3\n---\nExtract the posting!")
    assert original.version != edited.version
    assert original.version.startswith("extract@3+") and original.text == "Extract the posting."


def test_a_prompt_file_can_be_named(tmp_path):
    path = tmp_path / "terse.md"
    path.write_text("Return JSON.")
    prompt = load_prompt(path=path)
    assert (prompt.text, prompt.version.split("+")[0]) == ("Return JSON.", "terse@0")
