"""Every check on the data, all problems at once; imports no page code."""
