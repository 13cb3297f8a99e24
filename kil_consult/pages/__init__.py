"""Pages composed from several areas (home, a consultation, an organisation, the staff
home) and site pages (accessibility statement, cookies, privacy)."""
