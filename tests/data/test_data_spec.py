"""Spec strings: what parses, and what is refused with a message that names the part and the fix."""

import pytest

from studio.data import DataError, DataSpec, parse_spec


@pytest.mark.parametrize("spec, expected", [
    ("digits", DataSpec("builtin", "digits", {})),
    ("moons?n=200&noise=0.2", DataSpec("builtin", "moons", {"n": "200", "noise": "0.2"})),
    ("digits?", DataSpec("builtin", "digits", {})),
    (" iris ?val=0.2", DataSpec("builtin", "iris", {"val": "0.2"})),
    ("csv:data/a.csv?target=label&features=a,b", DataSpec("csv", "data/a.csv", {"target": "label", "features": "a,b"})),
    ("csv:odd:name.csv", DataSpec("csv", "odd:name.csv", {})),
    ("CSV:data.csv", DataSpec("csv", "data.csv", {})),
    ("npz:arrays.npz?x=inputs&y=labels", DataSpec("npz", "arrays.npz", {"x": "inputs", "y": "labels"})),
    ("images:photos?size=32&gray=1", DataSpec("images", "photos", {"size": "32", "gray": "1"})),
    ("csv:d.csv?features=a%26b,c", DataSpec("csv", "d.csv", {"features": "a&b,c"})),
    ("digits?target=input&noise=0.3&seed=4&test=0", DataSpec("builtin", "digits", {"target": "input", "noise": "0.3", "seed": "4", "test": "0"})),
])
def test_good_specs_parse(spec, expected):
    assert parse_spec(spec) == expected


@pytest.mark.parametrize("spec, words", [
    ("", ["no data was chosen", "digits"]),
    ("   ", ["no data was chosen"]),
    ("digitz", ["no built-in data set 'digitz'", "did you mean digits?", "moons"]),
    ("mnist", ["no built-in data set 'mnist'", "the built-ins are:", "csv:PATH"]),
    ("data.csv", ["looks like a file", "csv:data.csv"]),
    ("arrays.npz", ["npz:arrays.npz"]),
    ("photos/cats", ["images:photos/cats"]),
    ("xls:book.xls", ["'xls:' is not a kind of data", "csv:PATH"]),
    ("csv:", ["csv: needs a path", "csv:data.csv"]),
    ("csv:?target=a", ["needs a path"]),
    ("moons?nn=3", ["moons has no option 'nn'", "did you mean n?", "noise", "val"]),
    ("digits?n=100", ["digits has no option 'n'", "val, test, seed, target, noise"]),
    ("csv:a.csv?size=3", ["csv: data has no option 'size'", "features"]),
    ("images:p?target=label&sizes=3", ["images: data has no option 'sizes'", "did you mean size?"]),
    ("moons?n", ["'n'", "name=value"]),
    ("moons?=3", ["name=value"]),
    ("moons?n=3&n=4", ["n is given twice"]),
])
def test_bad_specs_name_the_problem(spec, words):
    with pytest.raises(DataError) as err:
        parse_spec(spec)
    for word in words:
        assert word in str(err.value)


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)
