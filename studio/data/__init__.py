"""Data for training: built-in sets, CSV and NPZ files and image folders, named by one spec string
and loaded as shuffled train / validation / test splits that ``DataSplits.adapt`` fits to a
graph's Input. docs/data-specs.md is the full guide.

Spec strings::

    NAME[?opt=value&opt=value]                     a built-in: xor, moons, circles, spirals, blobs,
                                                   digits, iris, wine, breast_cancer, sine,
                                                   sequences, tokens (builtin_datasets() lists them
                                                   with their options)
    csv:PATH[?target=COL&features=a,b,c&task=classification|regression]
    npz:PATH[?x=KEY&y=KEY&dtype=float32|int64]
    images:DIR[?size=28&gray=1]                    one subfolder of DIR per class

Options every kind takes:

    val=0.15&test=0.15   held-out fractions (override load_data's arguments; 0 turns a split off)
    seed=N               shuffling and generation (overrides load_data's ``seed``)
    target=input         reconstruction: y is a copy of x (autoencoders)
    noise=0.3            with target=input only: the std of the Gaussian noise the trainer adds to
                         the inputs (``input_noise``, denoising autoencoders). Generated sets also
                         have a ``noise`` of their own (the spread of the points); with target=input
                         the option means the input noise and the set keeps its default spread.
    n=COUNT              generated sets only: how many samples

The path is everything between the first ``:`` and the first ``?`` (so it may hold more colons,
not a ``?``); ``~`` is expanded and a relative path starts from the working directory. Option
values may use %XX escapes (``features=a%26b`` for a column named ``a&b``).

Loading rules in short: classification splits are stratified; feature tables (built-in 2-D
sets, iris, wine, breast_cancer, blobs, CSV and flat NPZ features) are standardised per feature
with statistics of the training split only; images are scaled to 0–1; ``normalization`` records
what was applied. ``xor`` with its default 4 points is the one set whose train, validation and
test splits are the same four points.

Never imports torch or Qt; scikit-learn and Pillow are imported only inside the functions that
need them, so ``import studio.data`` stays light (tests/data/test_data_imports.py checks it).
"""

from .builtin import BuiltinInfo, builtin_datasets
from .dataset import DataSplits, Split
from .errors import DataError
from .loading import load_data
from .spec import DataSpec, parse_spec
from .splits import split_indices

__all__ = ["BuiltinInfo", "DataError", "DataSpec", "DataSplits", "Split", "builtin_datasets", "load_data",
           "parse_spec", "split_indices"]
