"""The dependency locks: complete, hashed, consistent with pyproject.toml, and what is installed.

``make lock`` writes ``requirements/dev.txt`` (everything ``make run`` and ``make test`` install),
``requirements/runtime.txt`` (the image's) and ``requirements/bootstrap.txt`` (uv itself). These
tests fail when a lock falls out of step with the bounds in ``pyproject.toml``, loses a hash, or
when the environment running the tests is not the one the lock describes (``make test-latest``
runs them against the newest allowed releases instead: then every installed direct dependency
must still be inside its bounds).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from importlib import metadata

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = REPO / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(?: ; (.+?))? \\$")
HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Pin:
    version: str
    marker: str  # "" when it applies everywhere
    hashes: int

    def applies(self) -> bool:
        """Whether this pin is the one for the running interpreter and platform."""
        return not self.marker or Marker(self.marker).evaluate()


def read_lock(name: str) -> dict[str, list[Pin]]:
    """``{canonical name: [Pin, ...]}``: a universal lock may pin a name once per marker."""
    pins: dict[str, list[Pin]] = {}
    for line in (LOCKS / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = pins.setdefault(canonicalize_name(match.group(1)), [])
            current.append(Pin(match.group(2), match.group(3) or "", 0))
        elif HASH.match(line):
            last = current[-1]
            current[-1] = Pin(last.version, last.marker, last.hashes + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise AssertionError(f"{name}: neither a pin, a hash nor a comment: {line}")
    return pins


def here(pins: list[Pin]) -> Pin | None:
    """The pin that applies to the running interpreter, if any."""
    found = [pin for pin in pins if pin.applies()]
    assert len(found) <= 1, f"two pins apply at once: {found}"
    return found[0] if found else None


def requirements(group: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    raw = project["dependencies"] if group == "runtime" else project["optional-dependencies"][group]
    return [Requirement(item) for item in raw]


DEV = read_lock("dev.txt")
RUNTIME = read_lock("runtime.txt")
BOOTSTRAP = read_lock("bootstrap.txt")


@pytest.mark.parametrize("lock", ["dev.txt", "runtime.txt", "bootstrap.txt"])
def test_every_pin_carries_hashes_and_no_index_address(lock: str) -> None:
    pins = read_lock(lock)
    assert pins, f"{lock} pins nothing"
    unhashed = [name for name, found in pins.items() for pin in found if pin.hashes < 1]
    assert not unhashed
    text = (LOCKS / lock).read_text(encoding="utf-8")
    assert "://" not in text and "--index-url" not in text and "--find-links" not in text


@pytest.mark.parametrize(
    ("group", "lock"), [("runtime", RUNTIME), ("runtime", DEV), ("dev", DEV)],
    ids=["runtime deps in runtime.txt", "runtime deps in dev.txt", "dev deps in dev.txt"],
)  # fmt: skip
def test_each_direct_dependency_is_locked_inside_its_bounds(
    group: str, lock: dict[str, list[Pin]]
) -> None:
    for requirement in requirements(group):
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{name} is not in the lock: run make lock"
        for pin in lock[name]:
            assert requirement.specifier.contains(Version(pin.version), prereleases=True), (
                f"{name} {pin.version} is outside {requirement.specifier}: run make lock"
            )


def test_the_runtime_and_bootstrap_locks_agree_with_the_dev_lock() -> None:
    for lock in (RUNTIME, BOOTSTRAP):
        differ = {n: (p, DEV.get(n)) for n, p in lock.items() if DEV.get(n) != p}
        assert not differ, f"pins that differ from dev.txt: {differ}"
    assert set(BOOTSTRAP) == {"uv"}


def test_every_install_path_uses_the_locks_with_hashes() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"sync .*--require-hashes requirements/dev\.txt", makefile)
    assert "--require-hashes --no-deps \\\n\t\t-r requirements/bootstrap.txt" in makefile
    assert "npm ci" in makefile
    dockerfile = (REPO / "service" / "Dockerfile").read_text(encoding="utf-8")
    assert (
        "pip wheel --require-hashes --wheel-dir /wheels -r requirements/runtime.txt" in dockerfile
    )
    assert "--no-index --no-deps /wheels/*" in dockerfile  # nothing resolved at install time


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_the_environment_is_the_lock_or_under_test_latest_inside_the_bounds() -> None:
    direct = requirements("runtime") + requirements("dev")
    missing = [r.name for r in direct if installed(r.name) is None]
    assert not missing, f"direct dependencies not installed: {missing}"
    if os.environ.get("INCILENS_TEST_DEPS") == "latest":  # make test-latest: the newest releases
        versions = {r.name: Version(installed(r.name) or "0") for r in direct}
        outside = [f"{r.name} {versions[r.name]}" for r in direct
                   if not r.specifier.contains(versions[r.name], prereleases=True)]  # fmt: skip
        assert not outside, f"installed outside the bounds of pyproject.toml: {outside}"
        return
    wrong = {}
    for name, pins in DEV.items():
        pin, version = here(pins), installed(name)
        if pin is not None and version is not None and Version(version) != Version(pin.version):
            wrong[name] = (pin.version, version)
    assert not wrong, f"installed versions that differ from requirements/dev.txt: {wrong}"
