"""One persistent bash session for the whole journey, and what we learn from shell code."""
