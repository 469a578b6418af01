"""Package discovery: every package below the parts is found, and the example site ships too.

pyproject.toml holds the metadata; only what its static tables cannot say lives here: the parts
are installed inside `antrian/_parts/` (so a `display` or `shared` of another project cannot
clash with them; the `antrian` command puts that folder on its import path: shared/cli/entry.py);
the `examples/` folder (beside the parts, as the design card lays it out) is installed as the
package data of `shared.examples`, so an installed demo finds its site without a source tree;
and the build compiles the gettext catalogues (`.po`) into the `.mo` files `shared.i18n` reads.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """build_py, then every `shared/locale/*/LC_MESSAGES/*.po` compiled beside its copy."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in Path("shared/locale").glob("*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib, *INSTALLED_AS.split(".")) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po, target.open("wb") as mo:
                write_mo(mo, read_po(po))


PARTS = ("shared", "hardware", "kiosk", "display", "counter", "web")
INSTALLED_AS = "antrian._parts"  # see shared/cli/entry.py: no generic top-level names

packages = find_namespace_packages(
    include=[name for part in PARTS for name in (part, f"{part}.*")],
    exclude=["*.__pycache__"],
)
setup(
    packages=[f"{INSTALLED_AS}.{name}" for name in [*packages, "shared.examples"]],
    package_dir={
        **{f"{INSTALLED_AS}.{part}": part for part in PARTS},
        f"{INSTALLED_AS}.shared.examples": "examples",
    },
    cmdclass={"build_py": BuildWithCatalogues},
)
