from extractor.prompts import load_prompt, parse_prompt


def test_the_shipped_prompt_loads_with_its_version():
    prompt = load_prompt()
    assert prompt.version.startswith("extract@1+")
    assert "salary" in prompt.text and not prompt.text.startswith("---")


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
