//! The iishunt library facade: everything a user can do from the terminal is
//! one call here. It ties the stages together: `iishunt-w3c` and
//! `iishunt-store` for ingest; `iishunt-syntax` → `iishunt-plan` →
//! `iishunt-exec` for queries.
