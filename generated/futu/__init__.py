"""Generated protobuf classes for futu: one <File>_pb2 module per schemas/proto/futu/<File>.proto. Do not edit."""
