"""The figures of the reports, one module per section; each table comes from a fixed number of grouped queries."""
