"""Fund: the operation guidance fund, its investments and exits (投贷联动 with pledge loans)."""
