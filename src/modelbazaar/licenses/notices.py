"""Licences named rather than quoted: SPDX-License-Identifier lines and standard notices.

A file holding only "Licensed under the Apache License, Version 2.0 ..." or
"SPDX-License-Identifier: MIT OR Apache-2.0" names its licence without its text; both are read
here. Expressions are parsed by `license-expression` against the one SPDX list (expression.py).

Example: `find_notice("Licensed under the Apache License, Version 2.0 (the \\"License\\")")` ->
"Apache-2.0".
"""

from __future__ import annotations

import re

_LATER = r".{0,200}?or \(?at your option\)? any later version"
# (pattern over the lower-cased, whitespace-collapsed text, SPDX id); most specific first.
NOTICES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), i)
    for p, i in [
        (r"licensed under the apache license,? (version )?2\.0", "Apache-2.0"),
        (r"mozilla public license,? v(ersion)?\.? ?2\.0", "MPL-2.0"),
        (r"gnu affero general public license.{0,120}version 3" + _LATER, "AGPL-3.0-or-later"),
        (r"gnu (lesser|library) general public license.{0,120}version 2\.1" + _LATER,
         "LGPL-2.1-or-later"),
        (r"gnu lesser general public license.{0,120}version 3" + _LATER, "LGPL-3.0-or-later"),
        (r"gnu general public license.{0,120}version 3" + _LATER, "GPL-3.0-or-later"),
        (r"gnu general public license.{0,120}version 2" + _LATER, "GPL-2.0-or-later"),
        (r"licensed under the (terms of the )?mit license", "MIT"),
        (r"licensed under the (terms of the )?(new |revised )?bsd[- ]3[- ]clause", "BSD-3-Clause"),
        (r"creative commons attribution 4\.0 international", "CC-BY-4.0"),
    ]
]  # fmt: skip
_HEADER = re.compile(r"spdx-license-identifier:\s*([^\n*#]+?)\s*(?:\*/|-->|$)", re.I | re.M)


def spdx_header(text: str) -> str | None:
    """The expression of the first "SPDX-License-Identifier:" line, if any.

    Example: `spdx_header("# SPDX-License-Identifier: MIT OR Apache-2.0\\n")` ->
    "MIT OR Apache-2.0".
    """
    match = _HEADER.search(text)
    return match[1].strip() if match else None


def find_notice(text: str) -> str | None:
    """The SPDX id a standard licence notice names, or None."""
    flat = re.sub(r"\s+", " ", text.lower())
    return next((license_id for pattern, license_id in NOTICES if pattern.search(flat)), None)
