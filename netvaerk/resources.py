"""Where netvaerk's migrations and translations are: inside the installed wheel, or at the top
of a source checkout."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Find `migrations` or `translations`: inside the installed wheel, else at the repo top."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name
