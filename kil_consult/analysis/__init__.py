"""Analysis: participation, ranking, opinion groups, consensus, themes and summaries."""
