"""The demo city: a realistic 无锡市 with its districts, towns, villages,
agencies, halls, staff and applicants. Loading is idempotent."""

# One password for every demo account, staff and applicants alike.
DEMO_PASSWORD = "Yiwang@2026"
