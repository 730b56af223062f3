"""The .nadir project file: schema, migration, atomic save, recovery."""
