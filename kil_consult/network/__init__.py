"""The Keep it Local Network: the council's self-assessment against the six principles in
dated rounds, the network return each signed-off round publishes, and the hub that Locality
runs (the same codebase with ``KIL_MODE=hub``) to gather members' returns side by side."""
