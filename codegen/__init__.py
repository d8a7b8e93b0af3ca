"""venuewire code generator: schemas/ in, generated/ out. Run with `make generate`."""
