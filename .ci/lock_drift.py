"""Print how the installed Python packages differ from a lock file.

``make test-latest`` runs this after installing the newest releases that ``pyproject.toml``
allows, so its log says which upgrades the run is testing (and a failure can be traced to one).

Usage: python .ci/lock_drift.py requirements/dev.txt
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

# The project itself and the virtual environment's own installer are never in the lock.
NOT_LOCKED = {"incilens", "pip", "setuptools", "wheel"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?: ; (.+?))? \\$")


def canonical(name: str) -> str:
    """Normalise a distribution name as PEP 503 does."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """Return ``{name: version}`` for the pins of a lock that apply to this interpreter."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match and (not match.group(3) or Marker(match.group(3)).evaluate()):
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def installed() -> dict[str, str]:
    """Return ``{name: version}`` for the distributions of the running interpreter."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[canonical(name)] = dist.version
    return found


def main(argv: list[str]) -> int:
    """Print the drift and return 0 (drift is information here, never a failure)."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lock = locked(Path(argv[1]))
    have = {n: v for n, v in installed().items() if n not in NOT_LOCKED}
    changed = [
        f"  {name}: locked {lock[name]}, testing {have[name]}"
        for name in sorted(lock.keys() & have.keys())
        if lock[name] != have[name]
    ]
    added = [
        f"  {name}: {have[name]} (not in the lock)" for name in sorted(have.keys() - lock.keys())
    ]
    missing = [
        f"  {name}: locked {lock[name]}, not installed"
        for name in sorted(lock.keys() - have.keys())
    ]
    if not (changed or added or missing):
        print(f"newest allowed releases = {argv[1]}: nothing newer to test")
        return 0
    print(f"newest allowed releases differ from {argv[1]}:")
    print("\n".join(changed + added + missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
