"""Record what crosses a client's wire, to one file per session (see `venuewire.capture.format`)."""

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

__all__ = [
    "CAPTURE_FORMAT",
    "CAPTURE_VERSION",
    "Capture",
    "CaptureFormatError",
    "CaptureHeader",
    "CaptureWriter",
    "Direction",
    "Record",
    "Transport",
    "read_capture",
]
