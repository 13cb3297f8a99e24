"""Analysis: participation, ranking, opinion groups, consensus and themes, read as one typed
``ConsultationResults`` (``values.py``) and recomputed by a job (``tasks.py``)."""
