"""Rebuild the licence data `modelbazaar.licenses` ships: the one SPDX list, the SPDX licence
texts and the shingle index over every licence text (SPDX + the model licences in texts/).

Run it when the SPDX list is updated (the package data is committed; nothing runs at install):

    npm pack spdx-license-list@6.12.0 && tar xzf spdx-license-list-6.12.0.tgz
    python scripts/build_license_data.py --spdx-package package [--fsf-flags old-licenses.json]

`--fsf-flags` takes an SPDX licenses.json (the list's own format, e.g. from the MOF tool) for
the FSF-libre and deprecated flags, which spdx-license-list does not carry; without it the
flags already in `spdx/licenses.json` are kept. Takes ~5 s.
"""

from __future__ import annotations

import argparse
import json
import lzma
from pathlib import Path

import numpy as np

from modelbazaar.licenses import _data
from modelbazaar.licenses.index import build_index

DATA = Path(__file__).resolve().parents[1] / "src" / "modelbazaar" / "licenses" / "data"


def _flags(path: Path | None) -> dict[str, dict]:
    if path is not None:
        raw = json.loads(path.read_text("utf-8"))["licenses"]
        return {e["licenseId"]: e for e in raw}
    current = DATA / "spdx" / "licenses.json"
    return json.loads(current.read_text("utf-8"))["licenses"] if current.exists() else {}


def write_spdx(package: Path, flags: dict[str, dict]) -> dict[str, str]:
    """spdx/licenses.json (the list) and spdx/texts.json.xz (the texts); returns the texts."""
    full = json.loads((package / "spdx-full.json").read_text("utf-8"))
    version = (package / "package.json").read_text("utf-8")
    listing = {
        license_id: {
            "name": entry["name"],
            "isOsiApproved": bool(entry.get("osiApproved")),
            "isFsfLibre": flags.get(license_id, {}).get("isFsfLibre"),
            "isDeprecatedLicenseId": bool(
                flags.get(license_id, {}).get("isDeprecatedLicenseId", license_id.endswith("+"))
            ),
        }
        for license_id, entry in sorted(full.items())
    }
    out = DATA / "spdx"
    out.mkdir(exist_ok=True)
    meta = {"source": "npm spdx-license-list " + json.loads(version)["version"]}
    (out / "licenses.json").write_text(
        json.dumps(meta | {"licenses": listing}, indent=1, sort_keys=True) + "\n", "utf-8"
    )
    texts = {i: e["licenseText"].replace("\r\n", "\n") for i, e in sorted(full.items())}
    (out / "texts.json.xz").write_bytes(lzma.compress(json.dumps(texts).encode("utf-8")))
    return texts


def index_data() -> tuple[dict, dict]:
    """(arrays, metadata) of the index over every text `_data.corpus_texts()` returns."""
    _data.corpus_texts.cache_clear()
    _data.spdx_licenses.cache_clear()
    texts = _data.corpus_texts()
    listing = _data.spdx_licenses()
    deprecated = {i for i, e in listing.items() if e["isDeprecatedLicenseId"]}
    preference = {i: (i not in listing, i in deprecated, i) for i in texts}
    return build_index(texts, preference, deprecated)


def write_index() -> None:
    """index.npz + index.json (a test checks that the shipped pair equals a rebuild)."""
    arrays, meta = index_data()
    np.savez(DATA / "index.npz", **arrays)
    (DATA / "index.json").write_text(json.dumps(meta, indent=0) + "\n", "utf-8")
    print(f"{len(meta['groups'])} groups, {len(arrays['hashes'])} shingles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spdx-package", type=Path, help="extracted spdx-license-list package")
    parser.add_argument("--fsf-flags", type=Path, help="an SPDX licenses.json with FSF flags")
    args = parser.parse_args()
    if args.spdx_package:
        write_spdx(args.spdx_package, _flags(args.fsf_flags))
    write_index()


if __name__ == "__main__":
    main()
