"""The store: content-addressed objects plus a catalogue database (see `Store`)."""

from modelbazaar.store.catalogue import Catalogue
from modelbazaar.store.objects import ObjectStore
from modelbazaar.store.store import Store, VersionRecord, store_root

__all__ = ["Catalogue", "ObjectStore", "Store", "VersionRecord", "store_root"]
