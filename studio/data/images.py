"""Image folders: one subfolder per class, every image resized to size×size, grey or RGB,
scaled to 0–1 and held in memory as (N, C, size, size).

numpy at import time; Pillow only inside ``load_images``. No torch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .dataset import Loaded
from .errors import DataError
from .options import Options

OPTIONS = {
    "size": "height and width every image is resized to, in pixels (default 28)",
    "gray": "1 for grey images (1 channel), 0 for colour (3 channels, RGB; the default)",
}

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def load_images(location: str, opts: Options, *, reconstruct: bool) -> Loaded:
    size = opts.integer("size", 28, min=1, max=1024)
    gray = opts.flag("gray", False)
    root = Path(location).expanduser()
    classes = _class_folders(root, reconstruct)

    from PIL import Image, UnidentifiedImageError

    mode = "L" if gray else "RGB"
    pixels, labels = [], []
    for label, folder in enumerate(classes):
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
                       and not p.name.startswith("."))
        if not files:
            raise DataError(f"the class folder {folder} has no images ({', '.join(EXTENSIONS)}) — "
                            "add some or remove the folder")
        for file in files:
            try:
                with Image.open(file) as image:
                    # convert first so palette and alpha images resize like any other
                    image = image.convert(mode).resize((size, size), Image.Resampling.BILINEAR)
                    pixels.append(np.asarray(image, dtype=np.uint8))
            except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
                raise DataError(f"the image {file} cannot be read — remove it or replace it with a "
                                "working image") from None
            labels.append(label)

    x = np.stack(pixels).astype(np.float32) / 255.0  # (N, size, size) or (N, size, size, 3)
    x = x[:, None] if gray else x.transpose(0, 3, 1, 2)  # channels first, as torch wants: (N, C, size, size)
    channels = "grey" if gray else "colour"
    description = (f"{len(x)} {channels} images from {root.name}, resized to {size}×{size}, "
                   f"in {len(classes)} class{'es' if len(classes) != 1 else ''}.")
    return Loaded(root.name, description, "classification", x, np.array(labels, dtype=np.int64),
                  [c.name for c in classes], normalization={"mean": [0.0], "std": [255.0], "axis": None},
                  raw_range=(0.0, 255.0))


def _class_folders(root: Path, reconstruct: bool) -> list[Path]:
    if not root.is_dir():
        where = "is a file, not a folder" if root.is_file() else "does not exist"
        raise DataError(f"the image folder {root} {where} — check the path after images: "
                        f"(a relative path starts from {Path.cwd()})")
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if not entries:
        raise DataError(f"the image folder {root} is empty — put each class's images in a subfolder "
                        "named after the class, such as cats/ and dogs/")
    classes = sorted((p for p in entries if p.is_dir()), key=lambda p: p.name)
    if not classes:
        raise DataError(f"the image folder {root} has no class subfolders — put each class's images in a "
                        "subfolder named after the class, such as cats/ and dogs/")
    if len(classes) < 2 and not reconstruct:
        raise DataError(f"the image folder {root} has only one class subfolder ({classes[0].name}); a "
                        "classifier needs at least two — add another, or use target=input for an autoencoder")
    return classes
