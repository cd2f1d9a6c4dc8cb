"""What every layer may use, imported downward only: text normalisation, printed amounts, and the
vocabulary of the national templates (classification codes, total lines)."""
