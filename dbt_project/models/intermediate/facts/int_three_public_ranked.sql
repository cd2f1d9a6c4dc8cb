-- Every printed 三公 value, ranked among the printings of the same fact (rank 1 is stored).
{{ rank_printings('three_public', ['three_public_item', 'fund_source', 'amount_basis', 'unit_code']) }}
