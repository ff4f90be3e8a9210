from extractor._cache import DEFERRED_WRITES, ResultCache


def test_deferred_writes_are_readable_at_once_and_committed_in_groups_and_on_the_way_out(tmp_path):
    cache = ResultCache(tmp_path)
    elsewhere = ResultCache(tmp_path)  # another process's view: it sees only committed entries
    with cache.deferred_writes():
        cache.set(["a", "a-raw"], {"title": "Chef"})
        assert cache.get("a") == {"title": "Chef"}
        assert elsewhere.get("a") is None
        for number in range(DEFERRED_WRITES // 2):
            cache.set([f"k{number}", f"k{number}-raw"], {"n": number})
        assert elsewhere.get("a") == {"title": "Chef"}  # the group filled up and was committed
        cache.set(["last"], {"n": -1})
        assert elsewhere.get("last") is None
    assert elsewhere.get("last") == {"n": -1}


def test_writes_outside_deferred_writes_are_committed_at_once(tmp_path):
    cache = ResultCache(tmp_path)
    cache.set(["a", "b"], {"title": "Chef"})
    assert ResultCache(tmp_path).get("b") == {"title": "Chef"}
