"""Everything is declared in pyproject.toml; this file adds what it cannot declare: the optional C
modules, the line renderer (``newscrawl/extract/_crender.pyx``, Cython over lxml's C API) and the text
helpers (``newscrawl/extract/_ctext.pyx``). Without Cython, lxml's headers or a C compiler the install
goes on with their pure-Python twins, which give the same output, slower.

``scrapyd-deploy`` also builds its egg with ``setup.py bdist_egg`` (it writes a setup.py of its own into
the checkout when there is none).
"""

import logging
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

log = logging.getLogger("newscrawl.setup")


def extensions() -> list[Extension]:
    """The C modules, when Cython and lxml are importable (pip's build environment has both); none in
    an egg."""
    if "bdist_egg" in sys.argv:
        # An egg is for Scrapyd, often on another machine, where a module compiled here may not load; and
        # setuptools' loader stub for a compiled module in an egg fails on Python 3.11
        # (importlib.resources.files() of a module, not a package). The egg runs the pure-Python twins.
        log.info("newscrawl: no C modules in the egg; it uses their pure-Python twins")
        return []
    try:
        import lxml  # noqa: PLC0415
        from Cython.Build import cythonize  # noqa: PLC0415
    except ImportError:
        log.warning("newscrawl: Cython or lxml missing at build time; using the pure-Python twins")
        return []
    exts = [
        Extension(
            "newscrawl.extract._crender", ["newscrawl/extract/_crender.pyx"], include_dirs=lxml.get_include()
        ),
        Extension("newscrawl.extract._ctext", ["newscrawl/extract/_ctext.pyx"]),
    ]
    return cythonize(exts, quiet=True)


class OptionalBuildExt(build_ext):
    """A compiler error leaves the pure-Python twin in place instead of failing the install."""

    def build_extensions(self) -> None:
        built = []
        for ext in self.extensions:
            try:
                self.build_extension(ext)
            except Exception as exc:  # noqa: BLE001 — any build failure: fall back, loudly
                log.warning("newscrawl: could not build %s (%s); using its pure-Python twin", ext.name, exc)
            else:
                built.append(ext)
        # What was not built must not be copied into place (editable installs) or into the wheel.
        self.extensions = built


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
