"""Data tables of casestd.dedup: letter classes, folding rules and name aliases."""
