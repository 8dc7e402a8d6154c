-- The directory is GLOBAL data: in production replicated from the primary region; here each
-- region's database gets the same rows.
CREATE TABLE region_directory (user_id text PRIMARY KEY, region text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO region_directory (user_id, region) VALUES ('alice', 'eu'), ('bob', 'us');
