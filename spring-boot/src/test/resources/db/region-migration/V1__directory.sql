-- The directory table is created by the starter (JdbcRegionDirectory.createTable) before the
-- migrations run. It is GLOBAL data, in production replicated from the primary region; here each
-- region's database gets the same rows.
INSERT INTO region_directory (user_id, region) VALUES ('alice', 'eu'), ('bob', 'us');
