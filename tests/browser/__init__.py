"""Real-browser journeys and the accessibility bar (Chromium through Playwright)."""
