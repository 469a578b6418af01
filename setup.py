"""Package discovery: every package below the parts is found, and the example site ships too.

pyproject.toml holds the metadata; only what its static tables cannot say lives here: the
`examples/` folder (beside the parts, as the design card lays it out) is installed as the
package data of `shared.examples`, so an installed demo finds its site without a source tree.
"""

from setuptools import find_namespace_packages, setup

PARTS = ("shared", "hardware", "kiosk", "display", "counter", "web")

packages = find_namespace_packages(
    include=[name for part in PARTS for name in (part, f"{part}.*")],
    exclude=["*.__pycache__"],
)
setup(
    packages=[*packages, "shared.examples"],
    package_dir={"shared.examples": "examples"},
)
