"""Record -> ONIX 3.0 elements: one module per block of a Product, plus the Header and the message."""
