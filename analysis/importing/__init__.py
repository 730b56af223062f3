"""Reading a lab export: safe opening, layout, analytes, units, values, dates, observations."""
