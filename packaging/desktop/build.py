"""Build the desktop bundle: ``dist/fieldcheck/`` (one folder with the ``fieldcheck``
executable and everything it needs), then, with ``--package``, what is handed to an IT
officer: on Linux ``dist/fieldcheck-VERSION-linux-ARCH.tar.gz``, on Windows the Inno Setup
installer ``dist/fieldcheck-VERSION-setup.exe`` (``iscc`` on PATH), on macOS
``dist/fieldcheck-VERSION.dmg`` (``hdiutil``, or ``create-dmg`` when installed).

Run with the project's Python: ``./dev bundle [--package]`` on Linux and macOS,
``.venv\\Scripts\\python packaging\\desktop\\build.py --package`` on Windows. Prints the
bundle's size and the time the build took. See ``packaging/desktop/README.md``.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SPEC = HERE / "fieldcheck.spec"
INNO_SCRIPT = HERE / "fieldcheck.iss"


def version() -> str:
    text = (ROOT / "src" / "fieldcheck" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    assert found is not None
    return found.group(1)


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under ``folder`` (symbolic links not followed)."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def build_folder(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns ``dist/fieldcheck`` (``.app`` on macOS)."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(command, check=True, cwd=ROOT)
    if sys.platform == "darwin":
        return dist / "fieldcheck.app"
    return dist / "fieldcheck"


def package_linux(bundle: Path, dist: Path) -> Path:
    target = dist / f"fieldcheck-{version()}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=f"fieldcheck-{version()}")
    return target


def package_windows(bundle: Path, dist: Path) -> Path:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        raise SystemExit("build.py: Inno Setup's iscc is not on PATH (https://jrsoftware.org)")
    subprocess.run(
        [
            iscc,
            f"/DAppVersion={version()}",
            f"/DSourceDir={bundle}",
            f"/DOutputDir={dist}",
            str(INNO_SCRIPT),
        ],
        check=True,
    )
    return dist / f"fieldcheck-{version()}-setup.exe"


def package_macos(bundle: Path, dist: Path) -> Path:
    target = dist / f"fieldcheck-{version()}.dmg"
    target.unlink(missing_ok=True)
    if shutil.which("create-dmg"):
        command = [
            "create-dmg",
            "--volname",
            f"fieldcheck {version()}",
            "--app-drop-link",
            "450",
            "150",
            str(target),
            str(bundle),
        ]
    else:
        command = [
            "hdiutil",
            "create",
            "-volname",
            f"fieldcheck {version()}",
            "-srcfolder",
            str(bundle),
            "-ov",
            "-format",
            "UDZO",
            str(target),
        ]
    subprocess.run(command, check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's cache"
    )
    parser.add_argument(
        "--package", action="store_true", help="also make the tar.gz, installer or dmg"
    )
    args = parser.parse_args(argv)
    began = time.monotonic()
    bundle = build_folder(args.dist.resolve(), args.work.resolve())
    size, files = folder_size(bundle)
    print(
        f"bundle: {bundle} ({size / 2**20:.0f} MiB in {files} files), "
        f"built in {time.monotonic() - began:.0f} s"
    )
    if args.package:
        packagers = {"win32": package_windows, "darwin": package_macos}
        package = packagers.get(sys.platform, package_linux)(bundle, args.dist.resolve())
        print(f"package: {package} ({package.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
