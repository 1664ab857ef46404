"""Fixtures two training test modules share: the digits MLP example and the digits data.
(Imported by name; a second conftest.py would shadow tests/conftest.py as ``conftest``.)"""

import pytest

from conftest import EXAMPLES
from studio.data import load_data
from studio.layers import load_graph


@pytest.fixture(scope="module")
def mlp():
    return load_graph(EXAMPLES / "digits_mlp.neurona")


@pytest.fixture(scope="module")
def digits():
    return load_data("digits")
