struct broken { int x }
