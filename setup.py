"""Which packages the wheel holds; everything else is configured in pyproject.toml.

Packages are found, not listed, so that no folder can be left out of an installation: every
folder under studio/ (one without an ``__init__.py``, such as studio/ui/canvas, is a namespace
package and counts too), and every folder of resources/ and examples/, which sit at the top of
the repository and install as studio/resources and studio/examples (pyproject.toml maps them).
"""

from setuptools import find_namespace_packages, setup


def found(folder: str, package: str) -> list[str]:
    """``package`` and one package per subfolder of ``folder``, named as installed."""
    return [package, *(f"{package}.{name}" for name in find_namespace_packages(folder, exclude=["*__pycache__"]))]


setup(packages=[*found("studio", "studio"), *found("resources", "studio.resources"),
                *found("examples", "studio.examples")])
