"""The graph's nodes, one module each: understand -> act -> compose -> check."""
