"""Site pages: accessibility statement, cookies, error pages."""
