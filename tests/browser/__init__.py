"""Real-browser tests: headless Chromium through Playwright, against the live server."""
