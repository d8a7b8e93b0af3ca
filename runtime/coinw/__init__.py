"""CoinW futures: signed private REST, get order information."""
