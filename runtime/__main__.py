"""`python -m venuewire ...` is the `venuewire` command."""

import sys

from venuewire.cli import main

sys.exit(main())
