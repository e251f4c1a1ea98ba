"""Hypothesis strategies for fuzzing the public channels: text that is mostly ordinary but
often carries what has broken servers before (NUL and other control characters, lone
surrogates, non-ASCII digits, huge numbers, impossible or extreme dates)."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NASTY = [
    "\x00",
    "a\x00b",
    "\x01",
    "\x1b[0m",
    "\x7f",
    "\x85",
    "²",
    "٣",
    "１２",
    "-1",
    "0",
    "9" * 30,
    "1e9",
    "NaN",
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30T25:61:00+08:00",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "",
    " ",
    "null",
    "纠纷",
    "x" * 5000,
]

text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.builds(
        lambda a, b, c: a + b + c, st.text(max_size=8), st.sampled_from(NASTY), st.text(max_size=8)
    ),
)

# JSON can carry a lone surrogate (as an escape); a form or a URL cannot encode one.
json_text_values = st.one_of(text_values, st.just("\ud800"), st.just("a\udfffb"))

# Fixed seed and a bounded count: the same inputs on every run, a few seconds each.
FUZZ_SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def overrides(names: list[str], values=text_values) -> st.SearchStrategy[dict[str, str]]:
    """Some of `names` (and maybe an unknown field) set to fuzzed text."""
    keys = st.sampled_from([*names, "unknown\x00field", "attribute[people_count]"])
    return st.dictionaries(keys, values, max_size=4)
