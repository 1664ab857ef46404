"""CSV files: target and feature choice, classification versus regression, standardisation on the
training rows, and every refusal naming the column, row or file."""

import numpy as np
import pytest

from studio.data import DataError, load_data


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table(n=60, seed=0):
    rng = np.random.default_rng(seed)
    rows = ["a,b,c,label"]
    for i in range(n):
        a, b, c = rng.normal(5, 2), rng.normal(-3, 0.5), rng.uniform(0, 100)
        rows.append(f"{a:.4f},{b:.4f},{c:.3f},{['cat', 'dog', 'bird'][i % 3]}")
    return "\n".join(rows) + "\n"


def test_a_text_target_becomes_sorted_classes(tmp_path):
    path = write(tmp_path, table())
    d = load_data(f"csv:{path}")
    assert d.task == "classification" and d.class_names == ["bird", "cat", "dog"]
    assert d.name == "data" and d.sample_shape == (3,) and d.input_dtype == "float32"
    assert len(d.train) + len(d.val) + len(d.test) == 60 and (len(d.val), len(d.test)) == (9, 9)
    assert d.train.x.dtype == np.float32 and d.train.y.dtype == np.int64 and d.target_shape == ()
    for split in (d.train, d.val, d.test):  # stratified: every class in every split
        assert set(split.y.tolist()) == {0, 1, 2}


def test_features_are_standardized_with_training_statistics_only(tmp_path):
    d = load_data(f"csv:{write(tmp_path, table(200))}")
    np.testing.assert_allclose(d.train.x.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(d.train.x.std(axis=0), 1, atol=1e-4)
    assert np.abs(d.test.x.mean(axis=0)).max() > 1e-3  # scaled with train's numbers, not its own
    assert d.normalization["axis"] == 0
    mean = np.array(d.normalization["mean"])
    assert np.all(np.abs(mean - [5, -3, 50]) < [0.5, 0.2, 8])  # the raw columns' centres


def test_target_and_features_can_be_chosen(tmp_path):
    path = write(tmp_path, table())
    d = load_data(f"csv:{path}?target=a&features=b,c")
    assert d.task == "regression" and d.sample_shape == (2,) and d.target_shape == (1,)
    assert d.train.y.shape == (len(d.train), 1) and d.train.y.dtype == np.float32
    assert d.class_names is None


def test_few_whole_numbers_are_classes_unless_told_otherwise(tmp_path):
    rows = ["x,y,rating"] + [f"{i},{i * 2},{1 + i % 5}" for i in range(40)]
    path = write(tmp_path, "\n".join(rows))
    d = load_data(f"csv:{path}")
    assert d.task == "classification" and d.class_names == ["1", "2", "3", "4", "5"]
    r = load_data(f"csv:{path}?task=regression")
    assert r.task == "regression" and r.target_shape == (1,)
    many = ["x,y"] + [f"{i},{i}" for i in range(40)]  # 40 distinct whole numbers: regression
    assert load_data(f"csv:{write(tmp_path, chr(10).join(many), 'many.csv')}").task == "regression"


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffsize;weight;kind\n" + "".join(f"{i};{i * 3};{'ab'[i % 2]}\n" for i in range(20)),
                    encoding="utf-8")
    d = load_data(f"csv:{path}?val=0.2&test=0.2")
    assert d.sample_shape == (2,) and d.class_names == ["a", "b"]


def test_target_input_reconstructs_every_column(tmp_path):
    rows = ["a,b,c"] + [f"{i},{i % 7},{i * 0.5}" for i in range(30)]
    d = load_data(f"csv:{write(tmp_path, chr(10).join(rows))}?target=input&noise=0.1")
    assert d.task == "reconstruction" and d.sample_shape == d.target_shape == (3,)
    assert d.input_noise == 0.1
    np.testing.assert_array_equal(d.train.x, d.train.y)


def test_a_misspelt_column_gets_the_list_and_the_closest_name(tmp_path):
    path = write(tmp_path, "a,b,label\n1,2,x\n3,4,y\n5,6,x\n")
    with pytest.raises(DataError) as err:
        load_data(f"csv:{path}?target=labl")
    assert str(err.value) == "the CSV has no column 'labl'; its columns are: a, b, label — did you mean 'label'?"
    with pytest.raises(DataError, match="no column 'zzz'.*a, b, label"):
        load_data(f"csv:{path}?features=a,zzz")


def test_a_text_feature_is_named_with_a_features_fix(tmp_path):
    rows = ["size,colour,price,label"] + [f"{i},{'red' if i % 2 else 'blue'},{i * 10},{i % 2}" for i in range(20)]
    with pytest.raises(DataError) as err:
        load_data(f"csv:{write(tmp_path, chr(10).join(rows))}")
    message = str(err.value)
    assert "column 'colour'" in message and "text" in message and "features=size,price" in message


def test_a_decimal_comma_is_pointed_out(tmp_path):
    rows = ["a;b;label"] + [f"{i},5;{i};{i % 2}" for i in range(10)]
    with pytest.raises(DataError, match="decimal comma.*'a'|'a'.*decimal comma"):
        load_data(f"csv:{write(tmp_path, chr(10).join(rows))}")


@pytest.mark.parametrize("cell, shown", [("", "is empty"), ("NaN", "'NaN'"), ("NA", "'NA'")])
def test_a_missing_value_names_the_row_and_the_column(tmp_path, cell, shown):
    rows = ["a,b,label", "1,2,0", "3,4,1", f"5,{cell},0", "7,8,1"]
    with pytest.raises(DataError) as err:
        load_data(f"csv:{write(tmp_path, chr(10).join(rows))}")
    message = str(err.value)
    assert "row 4" in message and "column 'b'" in message and shown in message


def test_a_missing_target_names_the_row_and_the_column(tmp_path):
    rows = ["a,b,label", "1,2,0", "3,4,", "5,6,1"]
    with pytest.raises(DataError, match="row 3.*column 'label'"):
        load_data(f"csv:{write(tmp_path, chr(10).join(rows))}")


def test_an_infinite_value_is_refused(tmp_path):
    rows = ["a,b,label", "1,2,0", "3,inf,1", "5,6,1"]
    with pytest.raises(DataError, match="row 3.*infinite.*'b'"):
        load_data(f"csv:{write(tmp_path, chr(10).join(rows))}")


@pytest.mark.parametrize("text, words", [
    ("", ["empty", "header"]),
    ("1,2,3\n4,5,6\n", ["holds numbers", "header row"]),
    ("a,b,label\n", ["no rows"]),
    ("a,,label\n1,2,3\n", ["column 2", "no name"]),
    ("a,a,label\n1,2,3\n", ["two columns named 'a'"]),
    ("a,b,label\n1,2,3\n4,5\n", ["row 3", "2 cells", "3 columns"]),
    ("a,label\n1,x\n2,x\n3,x\n", ["only one value", "'label'"]),
    ("label\nx\ny\n", ["no feature columns"]),
])
def test_malformed_files_are_refused_with_the_place(tmp_path, text, words):
    with pytest.raises(DataError) as err:
        load_data(f"csv:{write(tmp_path, text)}")
    for word in words:
        assert word in str(err.value)


def test_option_conflicts_are_refused(tmp_path):
    path = write(tmp_path, table())
    with pytest.raises(DataError, match="'label' is the target"):
        load_data(f"csv:{path}?features=a,label")
    with pytest.raises(DataError, match="holds text.*remove task=regression"):
        load_data(f"csv:{path}?task=regression")
    with pytest.raises(DataError, match="task=classification does not apply with target=input"):
        load_data(f"csv:{path}?target=input&task=classification&features=a,b")
    with pytest.raises(DataError, match="task=binary"):
        load_data(f"csv:{path}?task=binary")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match="nothere.csv does not exist"):
        load_data(f"csv:{tmp_path / 'nothere.csv'}")
    with pytest.raises(DataError, match="is a folder"):
        load_data(f"csv:{tmp_path}")


def test_a_path_with_colons_after_the_first(tmp_path):
    folder = tmp_path / "run:2"
    folder.mkdir()
    path = write(folder, table())
    assert load_data(f"csv:{path}").name == "data"
