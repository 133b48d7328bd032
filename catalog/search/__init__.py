"""The read side's questions: a visitor's query parsed, the /api/search document, suggestions."""
