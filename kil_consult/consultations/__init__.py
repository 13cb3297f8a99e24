"""Consultations: the council, its neighbourhoods, the process and its six consultations."""
