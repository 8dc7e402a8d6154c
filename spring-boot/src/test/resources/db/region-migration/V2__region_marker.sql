CREATE TABLE migrated_region (region text PRIMARY KEY);
INSERT INTO migrated_region VALUES ('${region}');
