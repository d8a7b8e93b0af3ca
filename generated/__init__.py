"""Generated typed classes for every documented venue message. Do not edit.

Rebuilt from schemas/ by `make generate` (codegen/). Protobuf classes for Futu/moomoo
OpenD are under `venuewire.generated.futu`; msgspec Structs for the JSON venues under
`venuewire.generated.<venue>`; the venue fact registry is `venuewire.generated.registry`.
"""
