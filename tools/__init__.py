"""Development tools: run from a source checkout, never shipped in the wheel."""
