"""The names every venue package (`venuewire.opend`, `.bitmart`, `.coinw`, `.infoway`, `.qfex`)
exports besides its own client class(es) and `VENUE` (its registry key): the normalized `Order`
and `OrderBook` and the stream events `Gap` and `DecodeFailure`. A venue package imports them from
here and adds them to its `__all__` in one line each (spelt out: mypy reads a literal
`__all__ += [...]`, not `__all__ += exports.__all__`; tests/clients/test_shape.py checks that
every venue package exports this `__all__`):

    from venuewire.exports import DecodeFailure, Gap, Order, OrderBook

    __all__ = ["VENUE", "BitmartClient", ...]
    __all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]
"""

from venuewire.events import DecodeFailure, Gap
from venuewire.models import Order, OrderBook

__all__ = ["DecodeFailure", "Gap", "Order", "OrderBook"]
