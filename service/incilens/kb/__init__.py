"""Knowledge-base build: reads the public datasets and curated files, writes data/kb.jsonl.gz."""
