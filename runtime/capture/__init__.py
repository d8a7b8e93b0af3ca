"""Record what crosses a client's wire, to one file per session: the file format is
`venuewire.capture.format`, turning it on (`capture=`, `VENUEWIRE_CAPTURE`) `venuewire.capture.tap`."""

from venuewire.capture.format import (
    CAPTURE_FORMAT,
    CAPTURE_VERSION,
    Capture,
    CaptureFormatError,
    CaptureHeader,
    CaptureWriter,
    Direction,
    Record,
    Transport,
    read_capture,
)
from venuewire.capture.tap import ENV_VAR, CaptureTarget, Tap, new_capture

__all__ = [
    "CAPTURE_FORMAT",
    "CAPTURE_VERSION",
    "ENV_VAR",
    "Capture",
    "CaptureFormatError",
    "CaptureHeader",
    "CaptureTarget",
    "CaptureWriter",
    "Direction",
    "Record",
    "Tap",
    "Transport",
    "new_capture",
    "read_capture",
]
