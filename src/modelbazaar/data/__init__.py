"""Data: manifests (hash, licence, provenance), tokenizer training, packing into token shards."""
