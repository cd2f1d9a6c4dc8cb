-- Every printed income value, ranked among the printings of the same fact (rank 1 is stored).
{{ rank_printings('income', ['function_code', 'line_item', 'income_source', 'fund_source', 'amount_basis', 'unit_code']) }}
