-- Every printed expenditure-by-economic-class value, ranked among the printings of the same fact (rank 1 is stored).
{{ rank_printings('expenditure_economic', ['economic_code', 'line_item', 'expenditure_type', 'fund_source', 'amount_basis', 'unit_code']) }}
