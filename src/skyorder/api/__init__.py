"""HTTP front ends: they translate wire formats to core commands and back, nothing more."""
