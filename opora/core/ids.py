"""Database ids read from addresses, forms and the command line."""

# The largest id a database column holds; a longer number in an address is no id at all
# (SQLite and PostgreSQL both fail on it instead of finding nothing).
MAX_ID = 2**63 - 1
