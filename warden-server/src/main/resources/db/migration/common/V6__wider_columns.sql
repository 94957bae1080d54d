-- Room for what the API accepts: a connection's settings hold a CA bundle of up to 64 KiB, and
-- an audit event's details may describe a large group or many attribute values.
ALTER TABLE connections ALTER COLUMN settings SET DATA TYPE VARCHAR(200000);
ALTER TABLE audit_events ALTER COLUMN details SET DATA TYPE VARCHAR(1000000);
