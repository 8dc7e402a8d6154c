-- Runs in every region's database, as its owner role; ${region} is that database's region.
CREATE TABLE deployment_region (region text PRIMARY KEY, migrated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO deployment_region (region) VALUES ('${region}');
