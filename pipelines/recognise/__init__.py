"""Step 2: which tables a document holds, their headers, and the document's metadata."""
