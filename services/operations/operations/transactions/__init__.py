"""Transactions: the register of assignments and licences of patents and trademarks, and royalties."""
