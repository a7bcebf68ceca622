"""SQLite storage: schema and migrations, writes, and the queries users ask."""
from .schema import SCHEMA_VERSION, connect

__all__ = ["SCHEMA_VERSION", "connect"]
