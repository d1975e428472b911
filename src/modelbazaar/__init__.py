"""modelbazaar: develop open language models the way open-source software is developed.

Exceptions (all derive from :class:`BazaarError`, whose message says what is wrong and what to do)::

    BazaarError
    ├── RecipeError        bazaar.toml or a data manifest is malformed
    ├── DataError          a data file is missing, its hash or licence is wrong
    ├── StoreError         the store is missing, corrupt, or a ref does not exist
    ├── BundleError        a contribution bundle is hostile or malformed
    ├── EvalError          an eval suite is malformed or cannot run on this model
    ├── AuditError         an audit input cannot be read
    └── NumericsError      a build cannot run with portable numerics
"""

from modelbazaar.errors import (
    AuditError,
    BazaarError,
    BundleError,
    DataError,
    EvalError,
    NumericsError,
    RecipeError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "AuditError",
    "BazaarError",
    "BundleError",
    "DataError",
    "EvalError",
    "NumericsError",
    "RecipeError",
    "StoreError",
    "__version__",
]
