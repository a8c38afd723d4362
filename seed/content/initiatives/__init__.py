"""One module per organisation's improvement initiative (förbättringsarbete)."""
