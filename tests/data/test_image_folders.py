"""Image folders: one subfolder per class, grey or RGB, resized and scaled to 0–1; missing, empty
and broken folders or files are refused by name."""

import numpy as np
import pytest
from PIL import Image

from studio.data import DataError, load_data


def make_folder(root, classes=("cats", "dogs"), per_class=6, size=(12, 9)):
    for k, name in enumerate(classes):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(per_class):
            colour = (40 * k + 10, 200 - 30 * k, i * 20)
            suffix = (".png", ".jpg", ".bmp")[i % 3]
            Image.new("RGB", size, colour).save(folder / f"{i}{suffix}")
    return root


def test_rgb_images_become_channels_first_in_0_1(tmp_path):
    root = make_folder(tmp_path / "pets")
    (root / "cats" / "notes.txt").write_text("not an image")  # other files are skipped
    d = load_data(f"images:{root}?size=8")
    assert d.name == "pets" and d.class_names == ["cats", "dogs"] and d.task == "classification"
    assert d.sample_shape == (3, 8, 8) and d.train.x.dtype == np.float32
    assert len(d.train) + len(d.val) + len(d.test) == 12
    assert 0.0 <= d.train.x.min() and d.train.x.max() <= 1.0
    assert d.normalization == {"mean": [0.0], "std": [255.0], "axis": None}
    # the red channel of class 0 (cats) is 10/255, of class 1 (dogs) 50/255 (.jpg may shift it a bit)
    red = d.train.x[:, 0].mean(axis=(1, 2))
    assert np.all(np.abs(red - np.where(d.train.y == 0, 10, 50) / 255) < 0.03)


def test_gray_images_have_one_channel(tmp_path):
    d = load_data(f"images:{make_folder(tmp_path / 'pets')}?size=5&gray=1&val=0&test=0")
    assert d.sample_shape == (1, 5, 5) and len(d.train) == 12


def test_palette_and_transparent_images_are_converted(tmp_path):
    root = make_folder(tmp_path / "pets", per_class=3)
    Image.new("P", (4, 4)).save(root / "cats" / "palette.gif")
    Image.new("RGBA", (4, 4), (255, 0, 0, 0)).save(root / "dogs" / "alpha.webp")
    d = load_data(f"images:{root}?size=4")
    assert len(d.train) + len(d.val) + len(d.test) == 8 and d.sample_shape == (3, 4, 4)


def test_target_input_takes_a_single_class_folder(tmp_path):
    root = make_folder(tmp_path / "faces", classes=("all",))
    d = load_data(f"images:{root}?size=6&target=input&noise=0.2")
    assert d.task == "reconstruction" and d.target_shape == (3, 6, 6) and d.input_noise == 0.2
    with pytest.raises(DataError, match="only one class subfolder.*target=input"):
        load_data(f"images:{root}")


def test_an_unreadable_image_is_named(tmp_path):
    root = make_folder(tmp_path / "pets")
    (root / "dogs" / "broken.png").write_bytes(b"this is not a png")
    with pytest.raises(DataError) as err:
        load_data(f"images:{root}")
    assert "broken.png" in str(err.value) and "remove it or replace it" in str(err.value)


def test_folder_problems_are_named(tmp_path):
    with pytest.raises(DataError, match="missing does not exist"):
        load_data(f"images:{tmp_path / 'missing'}")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="empty is empty"):
        load_data(f"images:{empty}")
    flat = tmp_path / "flat"
    flat.mkdir()
    Image.new("RGB", (3, 3)).save(flat / "a.png")
    with pytest.raises(DataError, match="no class subfolders"):
        load_data(f"images:{flat}")
    root = make_folder(tmp_path / "pets")
    (root / "birds").mkdir()
    with pytest.raises(DataError, match="birds has no images"):
        load_data(f"images:{root}")


def test_bad_image_options_are_refused(tmp_path):
    root = make_folder(tmp_path / "pets")
    with pytest.raises(DataError, match="size=0"):
        load_data(f"images:{root}?size=0")
    with pytest.raises(DataError, match="gray=maybe"):
        load_data(f"images:{root}?gray=maybe")
    with pytest.raises(DataError, match="target=label"):
        load_data(f"images:{root}?target=label")
