"""What the data means once read: the fields of each kind from its schema."""
